import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@microshop/config';
import { z } from 'zod';
import { authEnv, toAuthSettings } from './auth-env';

const schema = z.object(authEnv()).transform(toAuthSettings);
const ec = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const spki = (key: ReturnType<typeof ec>['publicKey']) =>
  key.export({ type: 'spki', format: 'pem' }).toString();

describe('authEnv', () => {
  it('verifies through user-service JWKS by default', () => {
    expect(loadConfig(schema, {})).toEqual({
      issuer: 'microshop-user-service',
      audience: 'microshop',
      publicKeyPem: undefined,
      jwksUrl: 'http://127.0.0.1:4000/.well-known/jwks.json',
      jwksCacheSeconds: 60,
    });
  });

  it('pins a public key given inline or as a file', () => {
    const pem = spki(ec().publicKey);
    expect(loadConfig(schema, { JWT_PUBLIC_KEY: pem }).publicKeyPem).toBe(pem.trim());
    const file = join(mkdtempSync(join(tmpdir(), 'auth-env-')), 'public.pem');
    writeFileSync(file, pem);
    expect(loadConfig(schema, { JWT_PUBLIC_KEY_FILE: file }).publicKeyPem).toBe(pem.trim());
    expect(() => loadConfig(schema, { JWT_PUBLIC_KEY: pem, JWT_PUBLIC_KEY_FILE: file })).toThrow(
      'JWT_PUBLIC_KEY: set either JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE, not both',
    );
  });

  it.each([
    ['not a key', 'garbage'],
    ['an RSA key', spki(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)],
    ['a P-384 key', spki(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey)],
    ['a private key', ec().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()],
  ])('refuses %s as JWT_PUBLIC_KEY', (_, value) => {
    expect(() => loadConfig(schema, { JWT_PUBLIC_KEY: value })).toThrow(
      /^Invalid configuration: JWT_PUBLIC_KEY: must be a PEM public key \(SPKI\) on curve P-256 \(ES256\)$/,
    );
  });
});
