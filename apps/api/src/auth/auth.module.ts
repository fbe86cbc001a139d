import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { OrgModule } from '@duban/org';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginLimiter } from './login-limiter.js';
import { SessionEvents } from './session-events.js';

@Module({
  imports: [
    OrgModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to
        // parse it as a public key on every verification, a tenth of the api's CPU under load.
        secret: createSecretKey(Buffer.from(config.getOrThrow<string>('JWT_SECRET'))),
        signOptions: { algorithm: 'HS256', issuer: 'duban' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'duban' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, LoginLimiter, SessionEvents, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [JwtModule, SessionEvents],
})
export class AuthModule {}
