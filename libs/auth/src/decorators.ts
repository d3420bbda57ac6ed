import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { AuthUser, Role } from './auth-user';

export const IS_PUBLIC = 'microshop:auth:public';
export const REQUIRED_ROLES = 'microshop:auth:roles';

/** Opens a route (or a whole controller) to anonymous callers. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restricts a route to callers holding at least one of the roles (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The verified caller of an authenticated route. */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser =>
    context.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
