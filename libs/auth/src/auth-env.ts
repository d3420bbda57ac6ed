import { stringVar, urlVar } from '@microshop/config';
import { z } from 'zod';

/**
 * Token verification settings every app reads. The key comes from `JWT_PUBLIC_KEY` (PEM) or,
 * when unset, from user-service's JWKS endpoint (`JWT_JWKS_URL`).
 */
export const authEnv = () => ({
  JWT_ISSUER: stringVar('microshop-user-service'),
  JWT_AUDIENCE: stringVar('microshop'),
  JWT_PUBLIC_KEY: z.string().trim().min(1, 'must not be empty (a PEM public key)').optional(),
  JWT_JWKS_URL: urlVar(['http', 'https'], 'http://127.0.0.1:4000/.well-known/jwks.json'),
});

export interface AuthSettings {
  issuer: string;
  audience: string;
  publicKeyPem?: string;
  jwksUrl: string;
}

export const toAuthSettings = (env: {
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWT_PUBLIC_KEY?: string;
  JWT_JWKS_URL: string;
}): AuthSettings => ({
  issuer: env.JWT_ISSUER,
  audience: env.JWT_AUDIENCE,
  publicKeyPem: env.JWT_PUBLIC_KEY,
  jwksUrl: env.JWT_JWKS_URL,
});
