import { createPublicKey } from 'node:crypto';
import { fileVar, intVar, stringVar, urlVar, valueOrFile } from '@microshop/config';
import { z } from 'zod';

/** Platforms that cannot hold multi-line values pass PEMs with literal `\n`. */
const unescapeNewlines = (pem: string) => pem.replace(/\\n/g, '\n').trim();

/** The EC curve behind ES256. */
export const JWT_CURVE = 'prime256v1';

const isP256PublicKey = (pem: string) => {
  if (!/^-----BEGIN PUBLIC KEY-----/.test(pem)) return false;
  try {
    return createPublicKey(pem).asymmetricKeyDetails?.namedCurve === JWT_CURVE;
  } catch {
    return false;
  }
};

/** A PEM (SPKI) public key on P-256, the only kind ES256 tokens can be verified with. */
export const publicKeyPemVar = () =>
  z
    .string()
    .transform(unescapeNewlines)
    .refine(isP256PublicKey, { message: 'must be a PEM public key (SPKI) on curve P-256 (ES256)' });

/**
 * Token verification settings every app reads. The key comes from `JWT_PUBLIC_KEY` (PEM) or the
 * file named by `JWT_PUBLIC_KEY_FILE`, or, when neither is set, from user-service's JWKS
 * endpoint (`JWT_JWKS_URL`).
 */
export const authEnv = () => ({
  JWT_ISSUER: stringVar('microshop-user-service'),
  JWT_AUDIENCE: stringVar('microshop'),
  JWT_PUBLIC_KEY: publicKeyPemVar().optional(),
  JWT_PUBLIC_KEY_FILE: fileVar().pipe(publicKeyPemVar()).optional(),
  JWT_JWKS_URL: urlVar(['http', 'https'], 'http://127.0.0.1:4000/.well-known/jwks.json'),
  /** How long a fetched JWKS is used before it is fetched again: a withdrawn key's reach. */
  JWT_JWKS_CACHE_SECONDS: intVar(60, 1, 3600),
});

export interface AuthSettings {
  issuer: string;
  audience: string;
  publicKeyPem?: string;
  jwksUrl: string;
  jwksCacheSeconds: number;
}

export const toAuthSettings = (env: {
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWT_PUBLIC_KEY?: string;
  JWT_PUBLIC_KEY_FILE?: string;
  JWT_JWKS_URL: string;
  JWT_JWKS_CACHE_SECONDS: number;
}): AuthSettings => ({
  issuer: env.JWT_ISSUER,
  audience: env.JWT_AUDIENCE,
  publicKeyPem: valueOrFile('JWT_PUBLIC_KEY', env.JWT_PUBLIC_KEY, env.JWT_PUBLIC_KEY_FILE),
  jwksUrl: env.JWT_JWKS_URL,
  jwksCacheSeconds: env.JWT_JWKS_CACHE_SECONDS,
});
