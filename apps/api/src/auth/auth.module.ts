import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { OrgModule } from '@duban/org';
import { AppRedis } from '@duban/queues';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

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
    ThrottlerModule.forRootAsync({
      inject: [ConfigService, AppRedis],
      useFactory: (config: ConfigService, redis: AppRedis) => ({
        throttlers: [
          {
            name: 'login',
            limit: config.getOrThrow<number>('LOGIN_RATE_LIMIT'),
            ttl: config.getOrThrow<number>('LOGIN_RATE_WINDOW_MS'),
          },
        ],
        storage: new RedisThrottlerStorage(redis),
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [JwtModule],
})
export class AuthModule {}
