import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppRedis } from '@duban/queues';
import { sessionsChannel } from './sessions.js';

/**
 * Tells every api instance that a user's sessions may have ended, so open event streams re-check
 * at once. Only a nudge: requests check the database themselves, and streams also re-check on
 * every heartbeat, so a nudge lost with Redis delays a stream's end, never a request's refusal.
 */
@Injectable()
export class SessionEvents {
  private readonly logger = new Logger(SessionEvents.name);

  constructor(@Inject(AppRedis) private readonly redis: AppRedis) {}

  async changed(userId: string): Promise<void> {
    await this.redis.publish(sessionsChannel(this.redis.prefix), userId).catch((err: Error) => this.logger.warn(`sessions nudge: ${err.message}`));
  }
}
