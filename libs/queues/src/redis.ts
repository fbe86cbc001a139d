import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';

/**
 * The application's own Redis client (rate limits, health, pub/sub): every key it touches
 * starts with QUEUE_PREFIX. Commands fail at once while Redis is unreachable instead of
 * queueing, so a request answers 503 rather than hanging; ioredis reconnects by itself.
 */
@Injectable()
export class AppRedis extends Redis implements OnApplicationShutdown {
  readonly prefix: string;

  constructor(@Inject(ConfigService) config: ConfigService) {
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

@Global()
@Module({ providers: [AppRedis], exports: [AppRedis] })
export class RedisModule {}
