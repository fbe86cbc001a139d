import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '@duban/db';
import { IS_PUBLIC } from '@duban/http';
import { AccountDisabledError, SessionEndedError, UsersService } from '@duban/org';
import { QUERY_TOKEN_KEY, ROLES_KEY } from './auth.decorators.js';
import type { AuthRequest, TokenClaims } from './auth.types.js';
import { sessionVerdict } from './sessions.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Global: every route needs a valid bearer token unless marked @Public(); @Roles narrows it.
 * Roles, department, `disabled` and the token version come from the database on every request
 * (one primary-key read), not from the token nor a cache: a password, role or department change
 * or disabling a user ends its tokens on the very next request, on every api instance. A cache
 * cannot promise that across instances without a shared read per request, and that read is
 * what this is.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(UsersService) private readonly usersService: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<AuthRequest>();
    const queryToken = req.query?.access_token;
    const fromQuery = this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN_KEY, targets) && typeof queryToken === 'string' ? queryToken : null;
    const token = bearerToken(req.headers.authorization) ?? fromQuery;
    if (!token) throw new UnauthorizedException('A bearer token is required.');
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw new UnauthorizedException('The bearer token is invalid or has expired.');
    }
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) throw new UnauthorizedException('The bearer token names no user.');
    const state = await this.usersService.sessionState(claims.sub.toLowerCase());
    const verdict = sessionVerdict(claims.ver, state);
    if (verdict === 'unknown-user' || !state) throw new UnauthorizedException('The account behind this token no longer exists.');
    if (verdict === 'disabled') throw new AccountDisabledError();
    if (verdict === 'ended') throw new SessionEndedError();
    const user = { id: state.id, username: state.username, departmentId: state.departmentId, roles: state.roles };
    req.user = user;
    req.session = { version: state.tokenVersion, expiresAt: (claims.exp ?? 0) * 1000 };

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required && !required.some((role) => user.roles.includes(role))) {
      throw new ForbiddenException(`This needs the role ${required.join(' or ')}.`);
    }
    return true;
  }
}

function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1]! : null;
}
