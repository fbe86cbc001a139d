import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { UserEntity } from '@duban/db';
import { AccountDisabledError, toUserView, UsersService } from '@duban/org';
import type { LoginResultDto, MeDto } from './auth.dto.js';
import type { AuthSession, AuthUser, TokenClaims } from './auth.types.js';
import { LoginLimiter } from './login-limiter.js';
import { SessionEvents } from './session-events.js';

@Injectable()
export class AuthService {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(ConfigService) private readonly config: ConfigService,
    @Inject(LoginLimiter) private readonly limiter: LoginLimiter,
    @Inject(SessionEvents) private readonly sessions: SessionEvents,
  ) {}

  /**
   * Only failures count against the limits. A disabled user with the right password is told so
   * (and it counts as a failure); with a wrong one it gets the answer everybody gets, so the
   * distinct answer tells nothing to whoever does not already hold the password.
   */
  async login(username: string, password: string, address: string | undefined): Promise<LoginResultDto> {
    const user = await this.limiter.guard(address, username, async () => {
      const found = await this.users.authenticate(username, password);
      // One answer for an unknown name and a wrong password: nobody learns which names exist.
      if (!found) throw new UnauthorizedException('The username or password is wrong.');
      if (found.disabled) throw new AccountDisabledError();
      return found;
    });
    return this.issue(user);
  }

  /** Ends every other session of the caller and answers a fresh token for this one. */
  async changePassword(
    caller: AuthUser,
    session: AuthSession,
    address: string | undefined,
    currentPassword: string,
    newPassword: string,
  ): Promise<LoginResultDto> {
    // A wrong current password is a failed login: whoever holds a stolen token cannot guess on.
    const user = await this.limiter.guard(address, caller.username, () => this.users.changePassword(caller.id, session.version, currentPassword, newPassword));
    await this.sessions.changed(user.id);
    return this.issue(user);
  }

  async me(caller: AuthUser): Promise<MeDto> {
    const user = await this.users.findById(caller.id);
    if (!user) throw new UnauthorizedException('The account behind this token no longer exists.');
    return toMe(user);
  }

  private async issue(user: UserEntity): Promise<LoginResultDto> {
    const expiresIn = this.config.getOrThrow<number>('JWT_TTL_SECONDS');
    const claims: TokenClaims = { sub: user.id, username: user.username, dept: user.departmentId, roles: user.roles, ver: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn });
    return { accessToken, expiresIn, user: toMe(user) };
  }
}

/** GET /me answers the user without the e-mail address and the `disabled` flag (API.md). */
function toMe(user: UserEntity): MeDto {
  const { email: _email, disabled: _disabled, ...me } = toUserView(user);
  return me;
}
