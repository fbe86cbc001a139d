import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { notificationChannel, type NotificationView, NotificationsService, type Published } from '@duban/notifications';
import { Redis } from 'ioredis';
import { Observable } from 'rxjs';

export interface StreamEvent {
  id?: string;
  type: 'notification' | 'heartbeat';
  data: NotificationView | Record<string, never>;
}

type Listener = (notice: NotificationView) => void;

const HEARTBEAT_MS = 15_000;

/**
 * Live notices for open streams. Workers publish new notice ids on Redis; every api instance
 * hears them and pushes to the users connected to it, so any instance serves any user. A stream
 * that reconnects with Last-Event-ID gets what it missed from the database first.
 */
@Injectable()
export class NotificationStreamService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationStreamService.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber?: Redis;

  constructor(
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(ConfigService) private readonly config: ConfigService,
  ) {}

  async onModuleInit(): Promise<void> {
    const subscriber = new Redis(this.config.getOrThrow<string>('REDIS_URL'), { lazyConnect: true, maxRetriesPerRequest: null });
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, payload: string) => void this.deliver(payload));
    this.subscriber = subscriber;
    // Subscribing must not hold up start-up while Redis is away; ioredis subscribes once it connects.
    subscriber.connect().catch((err: Error) => this.logger.warn(`notification stream: ${err.message}`));
    await subscriber.subscribe(notificationChannel(this.config.getOrThrow<string>('QUEUE_PREFIX'))).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
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

  stream(userId: string, lastEventId?: string): Observable<StreamEvent> {
    return new Observable<StreamEvent>((subscriber) => {
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
      const heartbeat = setInterval(() => subscriber.next({ type: 'heartbeat', data: {} }), HEARTBEAT_MS);
      return () => {
        clearInterval(heartbeat);
        const set = this.listeners.get(userId);
        set?.delete(listener);
        if (set?.size === 0) this.listeners.delete(userId);
      };
    });
  }
}
