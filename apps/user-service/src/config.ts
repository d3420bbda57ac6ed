import { createPrivateKey, createPublicKey } from 'node:crypto';
import {
  commonEnv,
  httpSettingsFrom,
  ConfigError,
  emailVar,
  fileVar,
  intVar,
  kafkaSettingsFrom,
  mongoUriDefault,
  stringVar,
  tracingSettings,
  urlVar,
  valueOrFile,
} from '@microshop/config';
// The auth lib's Nest-free modules, not its index: the config loads before tracing starts (main.ts).
import { authEnv, JWT_CURVE, toAuthSettings } from '@microshop/auth/auth-env';
import { DEV_SIGNING_KEY_PATH } from '@microshop/auth/dev-signing-key';
import { z } from 'zod';

export const SERVICE_NAME = 'user-service';

export const DEFAULT_ADMIN_EMAIL = 'admin@microshop.local';
export const DEFAULT_ADMIN_PASSWORD = 'microshop-admin-dev';

const DAY = 24 * 60 * 60;

const isP256PrivateKey = (pem: string) => {
  if (!/^-----BEGIN (EC )?PRIVATE KEY-----/.test(pem)) return false;
  try {
    return createPrivateKey(pem).asymmetricKeyDetails?.namedCurve === JWT_CURVE;
  } catch {
    return false;
  }
};

const privateKeyPemVar = () =>
  z
    .string()
    .transform((pem) => pem.replace(/\\n/g, '\n').trim())
    .refine(isP256PrivateKey, {
      message: 'must be a PEM private key (PKCS#8 or SEC1) on curve P-256 (ES256)',
    });

/**
 * `true`, `false`, a hop count, or a comma-separated list of addresses, CIDRs and ranges. No proxy
 * by default: believing one that is not there lets any client pick its address with
 * `X-Forwarded-For`, and escape the per-address limits.
 */
const trustProxyVar = () =>
  stringVar('false').transform((v): boolean | number | string[] => {
    if (v === 'true' || v === 'false') return v === 'true';
    if (/^\d+$/.test(v)) return Number(v);
    return v.split(',').map((s) => s.trim());
  });

export const userServiceEnv = z
  .object({
    ...commonEnv(4000),
    ...authEnv(),
    MONGODB_URI: urlVar(['mongodb', 'mongodb+srv'], mongoUriDefault('microshop_users')),
    JWT_PRIVATE_KEY: privateKeyPemVar().optional(),
    JWT_PRIVATE_KEY_FILE: fileVar().pipe(privateKeyPemVar()).optional(),
    JWT_KEY_ID: z
      .string()
      .regex(/^[\w.-]{1,64}$/, 'must be 1 to 64 letters, digits, ".", "_" or "-"')
      .optional(),
    JWT_ACCESS_TTL: intVar(900, 30, DAY),
    REFRESH_TOKEN_TTL: intVar(14 * DAY, 300, 365 * DAY),
    REFRESH_TOKEN_ABSOLUTE_TTL: intVar(30 * DAY, 300, 365 * DAY),
    ADMIN_EMAIL: emailVar(DEFAULT_ADMIN_EMAIL),
    ADMIN_PASSWORD: z
      .string()
      .default(DEFAULT_ADMIN_PASSWORD)
      .refine((v) => v.length >= 8 && v.length <= 128, 'must be 8 to 128 characters'),
    AUTH_THROTTLE_WINDOW_SECONDS: intVar(60, 1, DAY),
    AUTH_THROTTLE_PER_ACCOUNT: intVar(10, 1, 100_000),
    AUTH_THROTTLE_PER_ACCOUNT_ANY_ADDRESS: intVar(30, 1, 100_000),
    AUTH_THROTTLE_PER_IP: intVar(100, 1, 1_000_000),
    TRUST_PROXY: trustProxyVar(),
  })
  .superRefine((env, ctx) => {
    if (env.REFRESH_TOKEN_ABSOLUTE_TTL < env.REFRESH_TOKEN_TTL) {
      ctx.addIssue({
        code: 'custom',
        path: ['REFRESH_TOKEN_ABSOLUTE_TTL'],
        message: `must be at least REFRESH_TOKEN_TTL (${env.REFRESH_TOKEN_TTL}): a sign-in cannot end before its first refresh token`,
      });
    }
    if (env.NODE_ENV === 'production' && env.ADMIN_PASSWORD === DEFAULT_ADMIN_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message:
          'must be set to a password of your own in production (NODE_ENV=production): the development default is public',
      });
    }
  })
  .transform((env) => {
    const auth = toAuthSettings(env);
    const privateKeyPem = valueOrFile(
      'JWT_PRIVATE_KEY',
      env.JWT_PRIVATE_KEY,
      env.JWT_PRIVATE_KEY_FILE,
    );
    checkKeyPair(privateKeyPem, auth.publicKeyPem);
    return {
      port: env.PORT,
      http: httpSettingsFrom(env),
      logLevel: env.LOG_LEVEL,
      tracing: tracingSettings(env, SERVICE_NAME),
      trustProxy: env.TRUST_PROXY,
      auth,
      mongoUri: env.MONGODB_URI,
      kafka: kafkaSettingsFrom(env, SERVICE_NAME),
      jwt: {
        privateKeyPem,
        keyId: env.JWT_KEY_ID,
        issuer: env.JWT_ISSUER,
        audience: env.JWT_AUDIENCE,
        accessTtlSeconds: env.JWT_ACCESS_TTL,
        devKeyPath: DEV_SIGNING_KEY_PATH,
      },
      refreshToken: {
        ttlSeconds: env.REFRESH_TOKEN_TTL,
        absoluteTtlSeconds: env.REFRESH_TOKEN_ABSOLUTE_TTL,
      },
      admin: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
      throttle: {
        windowSeconds: env.AUTH_THROTTLE_WINDOW_SECONDS,
        perAccount: env.AUTH_THROTTLE_PER_ACCOUNT,
        perAccountAnyAddress: env.AUTH_THROTTLE_PER_ACCOUNT_ANY_ADDRESS,
        perIp: env.AUTH_THROTTLE_PER_IP,
      },
    };
  });

/** A pinned public key must be the private key's own: otherwise nothing we sign would verify. */
function checkKeyPair(privateKeyPem: string | undefined, publicKeyPem: string | undefined) {
  if (!publicKeyPem) return;
  if (!privateKeyPem) {
    throw new ConfigError(
      'Invalid configuration: JWT_PUBLIC_KEY: set only together with JWT_PRIVATE_KEY (user-service signs with the private key)',
    );
  }
  const derived = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' });
  const given = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'pem' });
  if (derived !== given) {
    throw new ConfigError('Invalid configuration: JWT_PUBLIC_KEY: does not match JWT_PRIVATE_KEY');
  }
}

export type UserServiceConfig = z.output<typeof userServiceEnv>;
export type JwtSettings = UserServiceConfig['jwt'];
