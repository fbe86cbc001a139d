import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { Broadcast, PgBroadcast, RedisBroadcast } from './broadcast.js';

/**
 * The application's own Redis client (login limits, health, pub/sub), made by RedisModule only
 * when REDIS_URL is set: every key it touches starts with QUEUE_PREFIX. Commands fail at once while Redis is unreachable instead of
 * queueing, so a request answers 503 rather than hanging; ioredis reconnects by itself.
 */
export class AppRedis extends Redis implements OnApplicationShutdown {
  readonly prefix: string;

  constructor(config: ConfigService) {
    const prefix = config.getOrThrow<string>('QUEUE_PREFIX');
    super(config.getOrThrow<string>('REDIS_URL'), {
      keyPrefix: `${prefix}:`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      lazyConnect: false,
    });
    this.prefix = prefix;
    // Without a listener ioredis reports every failed reconnect as an unhandled error.
    this.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.quit().catch(() => this.disconnect());
  }
}

/**
 * Whether this deployment uses Redis at all: REDIS_URL is set. The one place that decides; every
 * other piece asks for AppRedis (null without Redis) or Broadcast.
 */
export function redisConfigured(config: ConfigService): boolean {
  return Boolean(config.get<string>('REDIS_URL'));
}

/**
 * AppRedis (null when REDIS_URL is unset: inject it as `AppRedis | null`) and the Broadcast between
 * processes: Redis pub/sub with Redis, PostgreSQL LISTEN/NOTIFY without. Needs TypeORM's data source.
 */
@Global()
@Module({
  providers: [
    {
      provide: AppRedis,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => (redisConfigured(config) ? new AppRedis(config) : null),
    },
    {
      provide: Broadcast,
      inject: [ConfigService, AppRedis, getDataSourceToken()],
      useFactory: (config: ConfigService, redis: AppRedis | null, db: DataSource): Broadcast =>
        redis
          ? new RedisBroadcast(redis, config.getOrThrow<string>('REDIS_URL'), redis.prefix)
          : new PgBroadcast(db, config.getOrThrow<string>('DATABASE_URL'), config.getOrThrow<string>('QUEUE_PREFIX')),
    },
  ],
  exports: [AppRedis, Broadcast],
})
export class RedisModule {}
