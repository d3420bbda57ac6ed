import { Inject, Injectable } from '@nestjs/common';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  importSPKI,
  JWTVerifyGetKey,
  jwtVerify,
  KeyLike,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { AuthSettings } from './auth-env';
import { AuthUser, JWT_ALGORITHM, ROLES, Role } from './auth-user';

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

/**
 * A shopper sends the same access token with every request until it expires, and checking its
 * ES256 signature each time is costly (docs/decisions/0004-hot-path-costs.md). A token verified
 * once is trusted until its `exp`, and no longer than this, so a key withdrawn from the JWKS stops
 * being honoured within a minute.
 */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX_TOKENS = 5_000;

/**
 * While user-service cannot be reached (a rollout, an outage), the keys last fetched keep
 * verifying for this long after the last successful verification with them: the services go on
 * serving signed-in customers without it. A withdrawn key is dropped at the first fetch that works.
 */
const JWKS_STALE_MAX_MS = 60 * 60_000;

/** The key is not in the JWKS: a fetch happened and answered, so the last keys must not be used. */
const isAnswerAboutTheKey = (err: unknown) =>
  err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys;

/** The token is missing, malformed, forged, expired or for another issuer/audience. */
export class InvalidTokenError extends Error {}

/**
 * Verifies access tokens: signature with user-service's public key (pinned PEM or its JWKS),
 * the one allowed algorithm (so `alg: none` and HS256-with-the-public-key tricks fail), issuer,
 * audience and expiry.
 */
@Injectable()
export class TokenVerifier {
  private keys: Promise<KeyLike | JWTVerifyGetKey> | null = null;
  /** Keyed by the whole token, signature included: only the very token verified hits. */
  private readonly verified = new LRUCache<string, AuthUser>({
    max: VERIFIED_MAX_TOKENS,
    // The wall clock, as token expiry is.
    perf: Date,
  });

  constructor(@Inject(AUTH_SETTINGS) private readonly settings: AuthSettings) {}

  async verify(token: string): Promise<AuthUser> {
    const known = this.verified.get(token);
    if (known) return known;
    const { user, expiresAt } = await this.check(token);
    const ttl = Math.min(VERIFIED_TTL_MS, expiresAt - Date.now());
    if (ttl > 0) this.verified.set(token, user, { ttl });
    return user;
  }

  private async check(token: string): Promise<{ user: AuthUser; expiresAt: number }> {
    try {
      const options = {
        algorithms: [JWT_ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['exp', 'sub'],
      };
      const key = await this.key();
      const { payload } =
        typeof key === 'function'
          ? await jwtVerify(token, key, options)
          : await jwtVerify(token, key, options);
      const roles = Array.isArray(payload.roles) ? payload.roles : [];
      if (typeof payload.sub !== 'string' || typeof payload.email !== 'string') {
        throw new InvalidTokenError('token lacks subject or email');
      }
      if (!roles.every((r): r is Role => (ROLES as readonly unknown[]).includes(r))) {
        throw new InvalidTokenError('token carries an unknown role');
      }
      return {
        user: { id: payload.sub, email: payload.email, roles },
        // requiredClaims makes exp present.
        expiresAt: (payload.exp ?? 0) * 1000,
      };
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      throw new InvalidTokenError((err as Error).message);
    }
  }

  /** The pinned public key, or user-service's JWKS (fetched lazily, refreshed on unknown kid). */
  private key(): Promise<KeyLike | JWTVerifyGetKey> {
    this.keys ??= this.loadKey().catch((err: unknown) => {
      this.keys = null;
      throw err;
    });
    return this.keys;
  }

  private async loadKey(): Promise<KeyLike | JWTVerifyGetKey> {
    const pem = this.settings.publicKeyPem;
    if (pem) return importSPKI(pem, JWT_ALGORITHM);
    // jose would keep a fetched JWKS for 10 minutes: a key withdrawn from it would verify as long.
    const remote = createRemoteJWKSet(new URL(this.settings.jwksUrl), {
      cooldownDuration: 5_000,
      cacheMaxAge: this.settings.jwksCacheSeconds * 1000,
    });
    let lastVerified = 0;
    return async (header, token) => {
      try {
        const key = await remote(header, token);
        lastVerified = Date.now();
        return key;
      } catch (err) {
        const last = remote.jwks();
        const usable = last && Date.now() - lastVerified <= JWKS_STALE_MAX_MS;
        if (isAnswerAboutTheKey(err) || !usable) throw err;
        return createLocalJWKSet(last)(header, token);
      }
    };
  }
}
