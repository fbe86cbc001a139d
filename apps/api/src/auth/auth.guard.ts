import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '@duban/db';
import { IS_PUBLIC } from '@duban/http';
import { UsersService } from '@duban/org';
import { QUERY_TOKEN_KEY, ROLES_KEY } from './auth.decorators.js';
import type { AuthRequest, AuthUser, TokenClaims } from './auth.types.js';

/**
 * Global: every route needs a valid bearer token unless marked @Public(); @Roles narrows it.
 * Roles and department come from the database, not the token: a user moved to another
 * department or stripped of a role loses the old access within AUTH_USER_CACHE_MS, not when the
 * token expires hours later.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly users = new Map<string, { user: AuthUser | null; at: number }>();

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(UsersService) private readonly usersService: UsersService,
    @Inject(ConfigService) private readonly config: ConfigService,
  ) {}

  private async current(id: string): Promise<AuthUser | null> {
    const cached = this.users.get(id);
    if (cached && Date.now() - cached.at < this.config.getOrThrow<number>('AUTH_USER_CACHE_MS')) return cached.user;
    const row = await this.usersService.findById(id);
    const user = row ? { id: row.id, username: row.username, departmentId: row.departmentId, roles: row.roles } : null;
    if (this.users.size > 50_000) this.users.clear();
    this.users.set(id, { user, at: Date.now() });
    return user;
  }

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
    // A signed token without a user id (or with something else there) names nobody: never a lookup by an empty condition.
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) throw new UnauthorizedException('The bearer token names no user (no sub).');
    const user = await this.current(claims.sub.toLowerCase());
    if (!user) throw new UnauthorizedException('The account behind this token no longer exists.');
    req.user = user;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required && !required.some((role) => user.roles.includes(role))) {
      throw new ForbiddenException(`This needs the role ${required.join(' or ')}.`);
    }
    return true;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1]! : null;
}
