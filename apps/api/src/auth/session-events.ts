import { Inject, Injectable, Logger } from '@nestjs/common';
import { Broadcast } from '@duban/queues';
import { SESSIONS_TOPIC } from './sessions.js';

/**
 * Tells every api instance that a user's sessions may have ended, so open event streams re-check
 * at once. Only a nudge: requests check the database themselves, and streams also re-check on
 * every heartbeat, so a nudge lost (Redis or the database briefly away) delays a stream's end, never a request's refusal.
 */
@Injectable()
export class SessionEvents {
  private readonly logger = new Logger(SessionEvents.name);

  constructor(@Inject(Broadcast) private readonly broadcast: Broadcast) {}

  async changed(userId: string): Promise<void> {
    await this.broadcast.publish(SESSIONS_TOPIC, userId).catch((err: Error) => this.logger.warn(`sessions nudge: ${err.message}`));
  }
}
