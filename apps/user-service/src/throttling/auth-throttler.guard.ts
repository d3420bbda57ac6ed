import { createHash } from 'node:crypto';
import { ExecutionContext, Injectable } from '@nestjs/common';
import {
  normalizeIp,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The client, as far as the trusted proxies tell (see TRUST_PROXY); IPv6 by /64 subnet. */
const clientOf = (req: FastifyRequest) => normalizeIp(req.ip);

/** The account an attempt is on: the email it names, else the signed-in account's (PATCH /users/me). */
const accountOf = (req: FastifyRequest) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  if (typeof email === 'string') return email.trim().toLowerCase();
  const userId = (req as FastifyRequest & { user?: { id?: string } }).user?.id;
  return userId ? `user:${userId}` : '';
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface AuthThrottleSettings {
  windowSeconds: number;
  perAccount: number;
  perAccountAnyAddress: number;
  perIp: number;
}

/**
 * Three limits on sign-in, registration and password changes, in the same window:
 * - `perIp`: all attempts of one client address — one client spraying many accounts or
 *   mass-registering. Loose, because offices and mobile carriers put many people behind one
 *   address.
 * - `perAccount`: attempts of one client address on one account — guessing one account's
 *   password. Tight. Keyed by address and account together, so that from elsewhere nobody can
 *   lock the owner out with it.
 * - `perAccountAnyAddress`: attempts on one account from every address together — guessing from
 *   many addresses (or with forged `X-Forwarded-For` behind a misconfigured proxy). Looser than
 *   `perAccount`, and it lasts one window only, so a victim is never locked out for good.
 */
export function authThrottlerOptions(
  settings: AuthThrottleSettings,
  storage: ThrottlerStorage,
): ThrottlerModuleOptions {
  const ttl = settings.windowSeconds * 1000;
  return {
    storage,
    setHeaders: false,
    errorMessage: 'Too many attempts; try again later',
    throttlers: [
      {
        name: 'perIp',
        ttl,
        limit: settings.perIp,
        getTracker: (req) => clientOf(req as FastifyRequest),
        generateKey: (_context, tracker, name) => sha256(`${name}:${tracker}`),
      },
      {
        name: 'perAccount',
        ttl,
        limit: settings.perAccount,
        getTracker: (req) =>
          `${clientOf(req as FastifyRequest)}|${accountOf(req as FastifyRequest)}`,
      },
      {
        name: 'perAccountAnyAddress',
        ttl,
        limit: settings.perAccountAnyAddress,
        getTracker: (req) => accountOf(req as FastifyRequest),
        generateKey: (_context, tracker, name) => sha256(`${name}:${tracker}`),
      },
    ],
  };
}

/** The throttler guard, answering 429 with a standard `Retry-After` header. */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('Retry-After', String(detail.timeToBlockExpire));
    return super.throwThrottlingException(context, detail);
  }
}
