import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { clientAddress, DEV_ADMIN } from '@microshop/testing';
import { APP_NAMES, ROOT, stopProcess } from '../scripts/platform';
import { bearer, notificationApi, userApi, userApiAt } from './support/api';
import { startReplica, waitForReplica } from './support/replica';

const main = (app: string) => join(ROOT, 'dist', 'apps', app, 'main.js');

const boot = (app: string, env: Record<string, string>) =>
  spawnSync(process.execPath, [main(app)], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });

const pem = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};

const dir = mkdtempSync(join(tmpdir(), 'microshop-keys-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
};

const expectRefused = (result: ReturnType<typeof boot>, message: RegExp | string) => {
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
};

describe.each(APP_NAMES)('%s refuses bad verification keys at boot', (app) => {
  it('JWT_PUBLIC_KEY_FILE naming a missing file', () => {
    expectRefused(
      boot(app, { JWT_PUBLIC_KEY_FILE: join(dir, 'missing.pem') }),
      /^Invalid configuration: JWT_PUBLIC_KEY_FILE: cannot read the file \(ENOENT\)/,
    );
  });

  it('JWT_PUBLIC_KEY that is not a P-256 public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    for (const value of ['not a key', rsa, pem().privateKey]) {
      expectRefused(
        boot(app, { JWT_PUBLIC_KEY: value }),
        /^Invalid configuration: JWT_PUBLIC_KEY: must be a PEM public key \(SPKI\) on curve P-256/,
      );
    }
  });

  it('JWT_PUBLIC_KEY and JWT_PUBLIC_KEY_FILE both set', () => {
    const { publicKey } = pem();
    expectRefused(
      boot(app, { JWT_PUBLIC_KEY: publicKey, JWT_PUBLIC_KEY_FILE: file('pub.pem', publicKey) }),
      'Invalid configuration: JWT_PUBLIC_KEY: set either JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE, not both',
    );
  });
});

describe('user-service refuses bad signing configuration at boot', () => {
  it('a JWT_PRIVATE_KEY that is not a P-256 private key, without echoing it', () => {
    const result = boot('user-service', { JWT_PRIVATE_KEY: 'secret-material-123' });
    expectRefused(result, /^Invalid configuration: JWT_PRIVATE_KEY: must be a PEM private key/);
    expect(result.stderr).not.toContain('secret-material-123');
  });

  it('JWT_PRIVATE_KEY and JWT_PRIVATE_KEY_FILE both set', () => {
    const { privateKey } = pem();
    expectRefused(
      boot('user-service', {
        JWT_PRIVATE_KEY: privateKey,
        JWT_PRIVATE_KEY_FILE: file('both.pem', privateKey),
      }),
      'Invalid configuration: JWT_PRIVATE_KEY: set either JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE, not both',
    );
  });

  it('a JWT_PUBLIC_KEY that is not the private key’s', () => {
    expectRefused(
      boot('user-service', { JWT_PRIVATE_KEY: pem().privateKey, JWT_PUBLIC_KEY: pem().publicKey }),
      'Invalid configuration: JWT_PUBLIC_KEY: does not match JWT_PRIVATE_KEY',
    );
  });

  it('a JWT_PUBLIC_KEY without a private key', () => {
    expectRefused(
      boot('user-service', { JWT_PUBLIC_KEY: pem().publicKey }),
      /^Invalid configuration: JWT_PUBLIC_KEY: set only together with JWT_PRIVATE_KEY/,
    );
  });

  it('a short ADMIN_PASSWORD, without echoing it', () => {
    const result = boot('user-service', { ADMIN_PASSWORD: 'short1' });
    expectRefused(result, 'Invalid configuration: ADMIN_PASSWORD: must be 8 to 128 characters');
    expect(result.stderr).not.toContain('short1');
  });
});

describe('user-service with a key from JWT_PRIVATE_KEY_FILE', () => {
  const keys = pem();
  const port = 4103;
  const replica = startReplica('user-service', port, {
    JWT_PRIVATE_KEY_FILE: file('signing.pem', keys.privateKey),
    JWT_PUBLIC_KEY_FILE: file('signing.pub.pem', keys.publicKey),
    JWT_KEY_ID: 'e2e-key-1',
  });

  beforeAll(() => waitForReplica('user-service', port));
  afterAll(() => stopProcess(replica));

  it('publishes that key under JWT_KEY_ID and signs with it; the platform trusts only its own', async () => {
    const replicaApi = userApiAt(`http://127.0.0.1:${port}`);
    const jwks = await replicaApi.GET('/.well-known/jwks.json');
    expect(jwks.data?.keys).toEqual([expect.objectContaining({ kid: 'e2e-key-1', crv: 'P-256' })]);

    const login = await replicaApi.POST('/auth/login', {
      body: DEV_ADMIN,
      headers: { 'x-forwarded-for': clientAddress() },
    });
    expect(login.response.status).toBe(200);
    const token = login.data!.accessToken;
    expect(decodeProtectedHeader(token).kid).toBe('e2e-key-1');
    expect((await replicaApi.GET('/users', { headers: bearer(token) })).response.status).toBe(200);

    // The platform's services verify with the development key only.
    expect((await userApi.GET('/users', { headers: bearer(token) })).response.status).toBe(401);
    expect(
      (await notificationApi.GET('/notifications', { headers: bearer(token) })).response.status,
    ).toBe(401);
  });
});
