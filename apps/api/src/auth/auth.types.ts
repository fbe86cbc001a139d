import type { Role } from '@duban/db';

/** What a verified bearer token says about its holder; set on the request by the guard. */
export interface AuthUser {
  id: string;
  username: string;
  departmentId: string | null;
  roles: Role[];
}

export interface TokenClaims {
  sub: string;
  username: string;
  dept: string | null;
  roles: Role[];
}
