import type { Role } from '@duban/db';
import type { Request } from 'express';

/** What a verified bearer token says about its holder; set on the request by the guard. */
export interface AuthUser {
  id: string;
  username: string;
  departmentId: string | null;
  roles: Role[];
}

/** A request once the guard has run: `user` is set on every route that is not @Public(). */
export type AuthRequest = Request & { user?: AuthUser };

export interface TokenClaims {
  sub: string;
  username: string;
  dept: string | null;
  roles: Role[];
}
