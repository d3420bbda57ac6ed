import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthUser, Role } from './auth-user';
import { IS_PUBLIC, REQUIRED_ROLES } from './decorators';
import { TokenVerifier } from './token-verifier';

/**
 * Global guard: every HTTP route needs a valid bearer token unless marked `@Public()`, and
 * `@Roles()` narrows it further. Kafka handlers are not HTTP and pass through.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new UnauthorizedException('A bearer access token is required');
    }
    try {
      request.user = await this.verifier.verify(token);
    } catch {
      throw new UnauthorizedException('The access token is invalid or expired');
    }

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required?.length && !required.some((role) => request.user?.roles.includes(role))) {
      throw new ForbiddenException('Your role does not allow this');
    }
    return true;
  }
}
