import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AppRedis } from '@duban/queues';
import type { DataSource } from 'typeorm';
import { OrgModule } from '@duban/org';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginLimiter, PgLoginLimiter, RedisLoginLimiter } from './login-limiter.js';
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
  providers: [
    AuthService,
    {
      // Counted in Redis when the deployment has it (faster), else in PostgreSQL.
      provide: LoginLimiter,
      inject: [AppRedis, getDataSourceToken(), ConfigService],
      useFactory: (redis: AppRedis | null, db: DataSource, config: ConfigService): LoginLimiter =>
        redis ? new RedisLoginLimiter(redis, config) : new PgLoginLimiter(db, config),
    },
    SessionEvents,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [JwtModule, SessionEvents],
})
export class AuthModule {}
