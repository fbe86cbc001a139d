import { Body, Controller, Get, HttpCode, Inject, Ip, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@duban/http';
import { CurrentUser } from './auth.decorators.js';
import { ChangePasswordDto, LoginDto, LoginResultDto, MeDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import type { AuthRequest, AuthUser } from './auth.types.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录 Log in' })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiUnauthorizedResponse({ description: 'Wrong username or password (or, with the right password, a disabled account: slug account-disabled)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures for this username from this address, or for too many usernames from this address' })
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<LoginResultDto> {
    return this.auth.login(body.username, body.password, ip);
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOperation({ summary: '当前用户 Who am I' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.auth.me(user);
  }

  /** Ends the caller's other sessions; the answer carries a fresh token for this one. */
  @ApiBearerAuth()
  @Post('me/password')
  @HttpCode(200)
  @ApiOperation({ summary: '修改密码 Change my password', description: 'Ends the caller’s other sessions; answers a fresh token.' })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiBadRequestResponse({ description: 'The current password is wrong (errors[0].path = currentPassword) or the new one is invalid' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong current passwords (they count as failed logins)' })
  changePassword(@CurrentUser() user: AuthUser, @Req() req: AuthRequest, @Body() body: ChangePasswordDto, @Ip() ip: string): Promise<LoginResultDto> {
    return this.auth.changePassword(user, req.session!, ip, body.currentPassword, body.newPassword);
  }
}
