import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AccessTokenClaims, AuthUser, JWT_ALGORITHM } from '@microshop/auth';
import { SignJWT } from 'jose';
import { UserServiceConfig } from '../config';
import { USER_SERVICE_CONFIG } from '../config.module';
import { SIGNING_KEYS, SigningKeys } from '../keys/signing-keys';

/** Signs access tokens: ES256 with user-service's private key, short-lived, for one audience. */
@Injectable()
export class AccessTokenSigner {
  constructor(
    @Inject(SIGNING_KEYS) private readonly keys: SigningKeys,
    @Inject(USER_SERVICE_CONFIG) private readonly config: UserServiceConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.jwt.accessTtlSeconds;
  }

  sign(user: AuthUser): Promise<string> {
    const { jwt } = this.config;
    const now = Math.floor(Date.now() / 1000);
    const claims: Omit<AccessTokenClaims, 'sub'> = { email: user.email, roles: user.roles };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid: this.keys.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(jwt.issuer)
      .setAudience(jwt.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + jwt.accessTtlSeconds)
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
  }
}
