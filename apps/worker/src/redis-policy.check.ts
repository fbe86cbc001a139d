import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppRedis } from '@duban/queues';

/**
 * BullMQ keeps jobs as ordinary keys: under any eviction policy but noeviction, Redis may drop
 * a job or its lock when memory runs short, and the work is lost without a trace. Without
 * REDIS_URL there is no Redis to check.
 */
@Injectable()
export class RedisPolicyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('RedisPolicyCheck');

  constructor(@Inject(AppRedis) private readonly redis: AppRedis | null) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis) return;
    let policy: string | undefined;
    try {
      const reply = (await this.redis.config('GET', 'maxmemory-policy')) as string[];
      policy = reply[1];
    } catch (err) {
      // Managed Redis services often forbid CONFIG; say so rather than guess.
      this.logger.warn(`Could not read Redis maxmemory-policy (${(err as Error).message}); make sure it is noeviction.`);
      return;
    }
    if (policy !== 'noeviction') {
      this.logger.warn(
        `!!! Redis maxmemory-policy is "${policy}", not "noeviction": BullMQ jobs can be evicted and lost. ` +
          'Set `maxmemory-policy noeviction` in redis.conf (or `CONFIG SET maxmemory-policy noeviction`). !!!',
      );
    }
  }
}
