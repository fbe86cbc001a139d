import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { UserEntity } from '@duban/db';
import { toUserView, UsersService } from '@duban/org';
import type { LoginResultDto, MeDto } from './auth.dto.js';
import type { AuthUser, TokenClaims } from './auth.types.js';

@Injectable()
export class AuthService {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(ConfigService) private readonly config: ConfigService,
  ) {}

  async login(username: string, password: string): Promise<LoginResultDto> {
    const user = await this.users.authenticate(username, password);
    // One answer for an unknown name and a wrong password: nobody learns which names exist.
    if (!user) throw new UnauthorizedException('The username or password is wrong.');
    const expiresIn = this.config.getOrThrow<number>('JWT_TTL_SECONDS');
    const claims: TokenClaims = { sub: user.id, username: user.username, dept: user.departmentId, roles: user.roles };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn });
    return { accessToken, expiresIn, user: toMe(user) };
  }

  async me(caller: AuthUser): Promise<MeDto> {
    const user = await this.users.findById(caller.id);
    if (!user) throw new UnauthorizedException('The account behind this token no longer exists.');
    return toMe(user);
  }
}

/** GET /me answers the user without the e-mail address (API.md). */
function toMe(user: UserEntity): MeDto {
  const { email: _email, ...me } = toUserView(user);
  return me;
}
