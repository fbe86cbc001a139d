import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@duban/db';
import type { AuthRequest, AuthUser } from './auth.types.js';

export const ROLES_KEY = 'duban:roles';

/** The route answers only callers holding one of these roles (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<AuthRequest>().user!);

export const QUERY_TOKEN_KEY = 'duban:query-token';

/** The route also takes the bearer token as `?access_token=` (EventSource cannot send headers). */
export const AllowQueryToken = () => SetMetadata(QUERY_TOKEN_KEY, true);
