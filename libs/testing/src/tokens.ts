import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_SIGNING_KEY_PATH, JWT_ALGORITHM } from '@microshop/auth';
import {
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  importPKCS8,
  JWK,
  JWTPayload,
  KeyLike,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { USER_SERVICE_URL } from './accounts';

const ROOT = join(__dirname, '..', '..', '..');
const ISSUER = 'microshop-user-service';
const AUDIENCE = 'microshop';

/** What user-service publishes: its kid and public key. */
export async function publishedKey(): Promise<JWK & { kid: string }> {
  const res = await fetch(`${USER_SERVICE_URL}/.well-known/jwks.json`);
  if (!res.ok) throw new Error(`GET /.well-known/jwks.json answered ${res.status}`);
  const { keys } = (await res.json()) as { keys: (JWK & { kid: string })[] };
  return keys[0];
}

/**
 * The development signing key user-service created in `.keys/` (the platform the e2e harness
 * starts uses it), checked against what user-service publishes, for tokens that are genuinely
 * signed but wrong in another way (expired, other issuer or audience).
 */
export async function devSigningKey(): Promise<{ key: KeyLike; kid: string }> {
  const published = await publishedKey();
  const pem = readFileSync(join(ROOT, DEV_SIGNING_KEY_PATH), 'utf8');
  const key = await importPKCS8(pem, JWT_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(key);
  if (jwk.x !== published.x || jwk.y !== published.y) {
    throw new Error(
      `${DEV_SIGNING_KEY_PATH} is not the key user-service signs with (is it running with JWT_PRIVATE_KEY?)`,
    );
  }
  return { key, kid: published.kid };
}

export interface TokenClaims {
  sub: string;
  email: string;
  roles: string[];
}

const admin: TokenClaims = {
  sub: '000000000000000000000000',
  email: 'mallory@example.com',
  roles: ['admin'],
};

/** A token signed with user-service's real key; `overrides` make it wrong in one respect. */
export async function signWithDevKey(
  claims: TokenClaims = admin,
  overrides: { iss?: string; aud?: string; iat?: number; exp?: number } = {},
): Promise<string> {
  const { key, kid } = await devSigningKey();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: claims.email, roles: claims.roles })
    .setProtectedHeader({ alg: JWT_ALGORITHM, kid, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(overrides.iss ?? ISSUER)
    .setAudience(overrides.aud ?? AUDIENCE)
    .setIssuedAt(overrides.iat ?? now)
    .setExpirationTime(overrides.exp ?? now + 300)
    .setJti(base64url.encode(randomBytes(12)))
    .sign(key);
}

const payload = (claims: TokenClaims, now = Math.floor(Date.now() / 1000)): JWTPayload => ({
  sub: claims.sub,
  email: claims.email,
  roles: claims.roles,
  iss: ISSUER,
  aud: AUDIENCE,
  iat: now,
  exp: now + 300,
});

/**
 * Every way an access token can be forged or stale, each claiming `claims` (by default an
 * admin): each must get 401 on every protected route of every service.
 */
export async function forgedTokens(claims: TokenClaims = admin): Promise<[string, string][]> {
  const { kid } = await publishedKey();
  const now = Math.floor(Date.now() / 1000);
  const otherEc = await generateKeyPair('ES256', { extractable: true });
  const otherRsa = await generateKeyPair('RS256');
  // What a verifier that trusted the header's alg would use as the HMAC secret: the public key.
  const publicPem = await exportSPKI((await importJWK(await publishedKey(), 'ES256')) as KeyLike);
  const signOther = (key: KeyLike, alg: string) =>
    new SignJWT(payload(claims, now)).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key);
  const genuine = await signWithDevKey({ ...claims, roles: ['customer'] });
  const [header, , signature] = genuine.split('.');
  const tampered = `${header}.${base64url.encode(JSON.stringify(payload(claims, now)))}.${signature}`;

  return [
    ['unsigned (alg none)', new UnsecuredJWT(payload(claims, now)).encode()],
    [
      'HS256 with the public key as the secret (algorithm confusion)',
      await new SignJWT(payload(claims, now))
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
        .sign(new TextEncoder().encode(publicPem)),
    ],
    ['ES256 by another key with the real kid', await signOther(otherEc.privateKey, 'ES256')],
    ['RS256 by another key with the real kid', await signOther(otherRsa.privateKey, 'RS256')],
    ['a genuine customer token with the payload changed to admin', tampered],
    ['a genuine token without its signature', `${header}.${genuine.split('.')[1]}.`],
    ['expired', await signWithDevKey(claims, { iat: now - 1000, exp: now - 60 })],
    ['for another issuer', await signWithDevKey(claims, { iss: 'https://evil.example.com' })],
    ['for another audience', await signWithDevKey(claims, { aud: 'some-other-api' })],
    ['not a JWT', 'not-a-token'],
  ];
}
