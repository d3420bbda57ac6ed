import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@microshop/config';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { loadSigningKeys } from './signing-keys';

const tempDir = () => mkdtempSync(join(tmpdir(), 'signing-keys-'));

describe('loadSigningKeys', () => {
  it('creates one development key when several processes start at once, then reuses it', async () => {
    const dir = tempDir();
    const devKeyPath = join(dir, '.keys', 'jwt.pem');
    const loaded = await Promise.all(
      Array.from({ length: 8 }, () => loadSigningKeys({ devKeyPath })),
    );
    expect(new Set(loaded.map((k) => k.kid)).size).toBe(1);
    expect(loaded.filter((k) => k.origin === 'development key created').length).toBeLessThanOrEqual(
      1,
    );
    expect(readdirSync(join(dir, '.keys'))).toEqual(['jwt.pem']); // no temporary files left

    const again = await loadSigningKeys({ devKeyPath });
    expect(again.origin).toBe('development key reused');
    expect(again.kid).toBe(loaded[0].kid);
  });

  it('uses a configured key, with JWT_KEY_ID or the RFC 7638 thumbprint as kid', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const devKeyPath = join(tempDir(), 'unused.pem');

    const named = await loadSigningKeys({ privateKeyPem: pem, keyId: 'k-2026', devKeyPath });
    expect(named.origin).toBe('configured');
    expect(named.kid).toBe('k-2026');
    expect(named.publicJwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: 'k-2026',
      alg: 'ES256',
      use: 'sig',
    });
    expect(named.publicKeyPem).toBe(publicKey.export({ type: 'spki', format: 'pem' }));

    const unnamed = await loadSigningKeys({ privateKeyPem: pem, devKeyPath });
    expect(unnamed.kid).toBe(await calculateJwkThumbprint(await exportJWK(publicKey)));
    expect(readdirSync(join(devKeyPath, '..'))).toEqual([]);
  });

  it('refuses an unusable development key, saying how to recover', async () => {
    const devKeyPath = join(tempDir(), 'jwt.pem');
    writeFileSync(devKeyPath, 'garbage');
    await expect(loadSigningKeys({ devKeyPath })).rejects.toThrow(
      /JWT_PRIVATE_KEY: not set, and the development key .* is unusable .*delete it/,
    );
  });

  it('refuses to start when no key is configured and none can be created', async () => {
    const notADirectory = join(tempDir(), 'file');
    writeFileSync(notADirectory, '');
    const attempt = loadSigningKeys({ devKeyPath: join(notADirectory, 'keys', 'jwt.pem') });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(
      /no development key can be read or created at .* \(ENOTDIR\); configure JWT_PRIVATE_KEY/,
    );
  });
});
