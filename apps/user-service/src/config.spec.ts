import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '@microshop/config';
import { userServiceEnv } from './config';

const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};

describe('user-service configuration', () => {
  it('has development defaults for everything', () => {
    const config = loadConfig(userServiceEnv, {});
    expect(config.admin).toEqual({
      email: 'admin@microshop.local',
      password: 'microshop-admin-dev',
    });
    expect(config.jwt).toMatchObject({
      privateKeyPem: undefined,
      issuer: 'microshop-user-service',
      audience: 'microshop',
      accessTtlSeconds: 900,
      devKeyPath: '.keys/jwt-signing-key.pem',
    });
    expect(config.refreshToken).toEqual({
      ttlSeconds: 14 * 24 * 3600,
      absoluteTtlSeconds: 30 * 24 * 3600,
    });
    expect(config.throttle).toEqual({
      windowSeconds: 60,
      perAccount: 10,
      perAccountAnyAddress: 30,
      perIp: 100,
    });
    expect(config.trustProxy).toBe(false);
  });

  it.each([
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
  ])('reads TRUST_PROXY=%j', (value, expected) => {
    expect(loadConfig(userServiceEnv, { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('takes a key pair, also with escaped newlines, and checks they belong together', () => {
    const { privateKey, publicKey } = keyPair();
    const config = loadConfig(userServiceEnv, {
      JWT_PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'),
      JWT_PUBLIC_KEY: publicKey,
      JWT_KEY_ID: 'prod-2026-11',
    });
    expect(config.jwt.privateKeyPem).toBe(privateKey.trim());
    expect(config.jwt.keyId).toBe('prod-2026-11');
    expect(config.auth.publicKeyPem).toBe(publicKey.trim());

    expect(() =>
      loadConfig(userServiceEnv, {
        JWT_PRIVATE_KEY: privateKey,
        JWT_PUBLIC_KEY: keyPair().publicKey,
      }),
    ).toThrow(
      new ConfigError('Invalid configuration: JWT_PUBLIC_KEY: does not match JWT_PRIVATE_KEY'),
    );
  });

  it.each([
    [{ JWT_ACCESS_TTL: '5' }, 'JWT_ACCESS_TTL: must be an integer from 30 to 86400'],
    [{ JWT_KEY_ID: 'has space' }, 'JWT_KEY_ID: must be 1 to 64 letters'],
    [{ ADMIN_EMAIL: 'nope' }, 'ADMIN_EMAIL: must be an email address'],
    [{ AUTH_THROTTLE_PER_ACCOUNT: '0' }, 'AUTH_THROTTLE_PER_ACCOUNT: must be an integer from 1'],
    [{ NODE_ENV: 'production' }, 'ADMIN_PASSWORD: must be set to a password of your own'],
    [
      { REFRESH_TOKEN_TTL: '7200', REFRESH_TOKEN_ABSOLUTE_TTL: '3600' },
      'REFRESH_TOKEN_ABSOLUTE_TTL: must be at least REFRESH_TOKEN_TTL (7200)',
    ],
    [
      { NODE_ENV: 'production', ADMIN_PASSWORD: 'microshop-admin-dev' },
      'ADMIN_PASSWORD: must be set to a password of your own',
    ],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(userServiceEnv, env)).toThrow(message);
  });

  it('takes an admin password of your own in production', () => {
    const env = {
      NODE_ENV: 'production',
      ADMIN_PASSWORD: 'a long secret of mine',
      KAFKA_SASL_PASSWORD: 'a kafka secret',
    };
    expect(loadConfig(userServiceEnv, env).admin.password).toBe('a long secret of mine');
  });
});
