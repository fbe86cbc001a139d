import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { NOTIFICATIONS_TOPIC, type NotificationView, NotificationsService, type Published } from '@duban/notifications';
import { UsersService } from '@duban/org';
import { Broadcast } from '@duban/queues';
import { Observable, type Subscriber } from 'rxjs';
import type { AuthSession } from '../auth/auth.types.js';
import { SESSIONS_TOPIC, sessionVerdict } from '../auth/sessions.js';

export interface StreamEvent {
  id?: string;
  type: 'notification' | 'heartbeat' | 'session-ended';
  data: NotificationView | Record<string, never> | { reason: SessionEndReason };
}

/** Why a stream was closed by the server: its token expired, or the user's sessions were ended. */
type SessionEndReason = 'expired' | 'ended' | 'disabled' | 'unknown-user';

type Listener = (notice: NotificationView) => void;

const HEARTBEAT_MS = 15_000;

/**
 * Live notices for open streams. Workers broadcast new notice ids (Redis pub/sub, or PostgreSQL
 * LISTEN/NOTIFY without Redis); every api instance
 * hears them and pushes to the users connected to it, so any instance serves any user. A stream
 * that reconnects with Last-Event-ID gets what it missed from the database first.
 */
@Injectable()
export class NotificationStreamService implements OnModuleInit {
  private readonly logger = new Logger(NotificationStreamService.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Per user, the open streams' checks of their token (run on a nudge and on every heartbeat). */
  private readonly sessionChecks = new Map<string, Set<() => Promise<void>>>();

  constructor(
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(Broadcast) private readonly broadcast: Broadcast,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.broadcast.subscribe(SESSIONS_TOPIC, (userId) => this.sessionsChanged(userId));
    this.broadcast.subscribe(NOTIFICATIONS_TOPIC, (payload) => void this.deliver(payload));
  }

  private sessionsChanged(userId: string): void {
    for (const check of this.sessionChecks.get(userId) ?? []) void check();
  }

  /**
   * Ends the stream when its token expires, or when the user's row no longer accepts it (a nudge
   * from SessionEvents, or the heartbeat's own look, whichever comes first). Returns the teardown.
   */
  private watchSession(userId: string, session: AuthSession, subscriber: Subscriber<StreamEvent>): { check: () => Promise<void>; stop: () => void } {
    const end = (reason: SessionEndReason) => {
      subscriber.next({ type: 'session-ended', data: { reason } });
      subscriber.complete();
    };
    const expiry = setTimeout(() => end('expired'), Math.min(Math.max(0, session.expiresAt - Date.now()), 2 ** 31 - 1));
    const check = async () => {
      if (subscriber.closed) return;
      try {
        const verdict = sessionVerdict(session.version, await this.users.sessionState(userId));
        if (verdict !== 'ok') end(verdict);
      } catch (err) {
        this.logger.warn(`stream session check: ${(err as Error).message}`);
      }
    };
    if (!this.sessionChecks.has(userId)) this.sessionChecks.set(userId, new Set());
    this.sessionChecks.get(userId)!.add(check);
    const stop = () => {
      clearTimeout(expiry);
      const set = this.sessionChecks.get(userId);
      set?.delete(check);
      if (set?.size === 0) this.sessionChecks.delete(userId);
    };
    return { check, stop };
  }

  private async deliver(payload: string): Promise<void> {
    let published: Published[];
    try {
      published = JSON.parse(payload) as Published[];
    } catch {
      return;
    }
    const wanted = published.filter((p) => this.listeners.has(p.userId));
    if (wanted.length === 0) return;
    for (const notice of await this.notifications.byIds(wanted.map((p) => p.id))) {
      for (const listener of this.listeners.get(notice.userId) ?? []) listener(notice);
    }
  }

  stream(userId: string, session: AuthSession, lastEventId?: string): Observable<StreamEvent> {
    return new Observable<StreamEvent>((subscriber) => {
      const watch = this.watchSession(userId, session, subscriber);
      let lastSent = lastEventId && /^\d{1,18}$/.test(lastEventId) ? BigInt(lastEventId) : 0n;
      let replaying = lastSent > 0n;
      const held: NotificationView[] = [];
      const emit = (notice: NotificationView) => {
        const id = BigInt(notice.id);
        if (id <= lastSent) return;
        lastSent = id;
        subscriber.next({ id: notice.id, type: 'notification', data: notice });
      };
      const listener: Listener = (notice) => (replaying ? held.push(notice) : emit(notice));
      if (!this.listeners.has(userId)) this.listeners.set(userId, new Set());
      this.listeners.get(userId)!.add(listener);
      if (replaying) {
        // Listen first, then read what was missed, so nothing falls between the two.
        this.notifications
          .since(userId, lastSent.toString())
          .then((missed) => missed.forEach(emit))
          .catch((err: Error) => this.logger.warn(`stream resume: ${err.message}`))
          .finally(() => {
            replaying = false;
            held.splice(0).forEach(emit);
          });
      }
      const heartbeat = setInterval(() => {
        subscriber.next({ type: 'heartbeat', data: {} });
        void watch.check();
      }, HEARTBEAT_MS);
      return () => {
        watch.stop();
        clearInterval(heartbeat);
        const set = this.listeners.get(userId);
        set?.delete(listener);
        if (set?.size === 0) this.listeners.delete(userId);
      };
    });
  }
}
