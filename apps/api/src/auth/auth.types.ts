import type { Role } from '@duban/db';
import type { Request } from 'express';

/** What a verified bearer token says about its holder; set on the request by the guard. */
export interface AuthUser {
  id: string;
  username: string;
  departmentId: string | null;
  roles: Role[];
}

/** The token a request came with: which version of the user's sessions, and when it expires. */
export interface AuthSession {
  version: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** A request once the guard has run: `user` and `session` are set on every route that is not @Public(). */
export type AuthRequest = Request & { user?: AuthUser; session?: AuthSession };

export interface TokenClaims {
  sub: string;
  username: string;
  dept: string | null;
  roles: Role[];
  /** The user's token_version when the token was signed; absent in tokens from before it existed (= 0). */
  ver?: number;
  /** Set by jsonwebtoken (seconds since the epoch). */
  exp?: number;
}
