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

const emailOf = (req: FastifyRequest) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface AuthThrottleSettings {
  windowSeconds: number;
  perAccount: number;
  perIp: number;
}

/**
 * Two limits on sign-in and registration, in the same window:
 * - `perIp`: all attempts of one client address, login and register together — one client
 *   spraying many accounts or mass-registering. Loose, because offices and mobile carriers put
 *   many people behind one address.
 * - `perAccount`: attempts of one client address on one email — guessing one account's password.
 *   Tight. Keyed by address and email together, so an attacker cannot lock a victim out from
 *   elsewhere.
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
        getTracker: (req) => `${clientOf(req as FastifyRequest)}|${emailOf(req as FastifyRequest)}`,
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
