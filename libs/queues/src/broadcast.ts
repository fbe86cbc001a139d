import { createHash } from 'node:crypto';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { DataSource } from 'typeorm';

/** What travels between processes on a broadcast: names of things (ids), never their bodies. */
export type BroadcastHandler = (payload: string) => void;

/**
 * Largest payload a broadcast carries, in bytes: PostgreSQL's NOTIFY refuses 8000 and more, and
 * both implementations keep to it so a deployment may move between them.
 */
export const BROADCAST_MAX_BYTES = 7999;

export class BroadcastPayloadTooLargeError extends Error {
  constructor(bytes: number) {
    super(`A broadcast payload holds at most ${BROADCAST_MAX_BYTES} bytes, not ${bytes}: send ids, not bodies.`);
    this.name = 'BroadcastPayloadTooLargeError';
  }
}

/**
 * A fire-and-forget message to every process of the deployment (the open event streams of each
 * api instance): Redis pub/sub when Redis is configured, PostgreSQL LISTEN/NOTIFY otherwise
 * (RedisModule chooses). Nothing is kept: a process that is not listening at the moment misses it,
 * so what a message names must be readable from the database too.
 */
export abstract class Broadcast {
  /**
   * Sends `payload` (at most BROADCAST_MAX_BYTES bytes, else BroadcastPayloadTooLargeError) on
   * `topic` (letters, digits, "-") to every subscriber, in this process too. Rejects when the
   * transport is down.
   */
  abstract publish(topic: string, payload: string): Promise<void>;

  /**
   * Calls `handler` with each payload published on `topic` from now on. Returns at once: the
   * subscription is (re)made whenever the transport (re)connects, and start-up never waits for it.
   */
  abstract subscribe(topic: string, handler: BroadcastHandler): void;
}

/** Splits `items` into the fewest JSON arrays each within BROADCAST_MAX_BYTES, in order. */
export function broadcastBatches<T>(items: readonly T[]): string[] {
  const batches: string[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const item of items) {
    const json = JSON.stringify(item);
    const size = Buffer.byteLength(json) + 1;
    if (current.length > 0 && bytes + size > BROADCAST_MAX_BYTES) {
      batches.push(`[${current.join(',')}]`);
      current = [];
      bytes = 2;
    }
    current.push(json);
    bytes += size;
  }
  if (current.length > 0) batches.push(`[${current.join(',')}]`);
  return batches;
}

function checkSize(payload: string): void {
  const bytes = Buffer.byteLength(payload);
  if (bytes > BROADCAST_MAX_BYTES) throw new BroadcastPayloadTooLargeError(bytes);
}

/** Fan-out over Redis pub/sub, channel `<QUEUE_PREFIX>:<topic>`; subscribing opens one more connection. */
export class RedisBroadcast extends Broadcast implements OnApplicationShutdown {
  private readonly logger = new Logger('Broadcast');
  private readonly handlers = new Map<string, Set<BroadcastHandler>>();
  private subscriber?: Redis;

  /** `publisher`: the application's client (its keyPrefix does not apply to channels). */
  constructor(
    private readonly publisher: Redis,
    private readonly url: string,
    private readonly prefix: string,
  ) {
    super();
  }

  async publish(topic: string, payload: string): Promise<void> {
    checkSize(payload);
    await this.publisher.publish(`${this.prefix}:${topic}`, payload);
  }

  subscribe(topic: string, handler: BroadcastHandler): void {
    const channel = `${this.prefix}:${topic}`;
    const known = this.handlers.get(channel);
    if (known) return void known.add(handler);
    this.handlers.set(channel, new Set([handler]));
    if (!this.subscriber) {
      const subscriber = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: null });
      subscriber.on('error', () => undefined);
      subscriber.on('message', (from: string, message: string) => this.handlers.get(from)?.forEach((h) => h(message)));
      // Start-up must not wait for Redis; ioredis subscribes once it connects, and again after each reconnect.
      subscriber.connect().catch((err: Error) => this.logger.warn(`broadcast subscriber: ${err.message}`));
      this.subscriber = subscriber;
    }
    this.subscriber.subscribe(channel).catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}

/**
 * The NOTIFY channel of a topic: `<QUEUE_PREFIX>:<topic>`, or its digest when that exceeds the 63
 * bytes of a PostgreSQL identifier (LISTEN would cut it short and miss every message).
 */
export function notifyChannel(prefix: string, topic: string): string {
  const name = `${prefix}:${topic}`;
  return Buffer.byteLength(name) <= 63 ? name : `duban:${createHash('sha256').update(name).digest('hex').slice(0, 40)}`;
}

const RECONNECT_MAX_MS = 5000;

/**
 * Fan-out over PostgreSQL LISTEN/NOTIFY: messages go out through the application's pool
 * (pg_notify), and one dedicated connection, opened on the first subscription, listens. When that
 * connection breaks it reconnects (backing off up to RECONNECT_MAX_MS) and listens again; what was
 * sent meanwhile is missed, as with Redis pub/sub.
 */
export class PgBroadcast extends Broadcast implements OnApplicationShutdown {
  private readonly logger = new Logger('Broadcast');
  private readonly handlers = new Map<string, Set<BroadcastHandler>>();
  private listener?: pg.Client;
  private connecting = false;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    private readonly db: DataSource,
    private readonly url: string,
    private readonly prefix: string,
  ) {
    super();
  }

  async publish(topic: string, payload: string): Promise<void> {
    checkSize(payload);
    await this.db.query('SELECT pg_notify($1, $2)', [notifyChannel(this.prefix, topic), payload]);
  }

  subscribe(topic: string, handler: BroadcastHandler): void {
    const channel = notifyChannel(this.prefix, topic);
    const known = this.handlers.get(channel);
    if (known) return void known.add(handler);
    this.handlers.set(channel, new Set([handler]));
    if (this.listener) this.listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
    else this.connect();
  }

  /** Whether the listening connection is up and listening: for tests and health alike. */
  get listening(): boolean {
    return this.listener !== undefined;
  }

  private connect(): void {
    if (this.connecting || this.stopped) return;
    this.connecting = true;
    const client = new pg.Client({ connectionString: this.url, application_name: 'duban-listen', keepAlive: true });
    let gone = false;
    const lost = (err?: Error) => {
      if (gone) return;
      gone = true;
      if (this.listener === client) this.listener = undefined;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (this.stopped) return;
      if (err) this.logger.warn(`broadcast listener: ${err.message}`);
      this.failures += 1;
      this.retry = setTimeout(() => this.connect(), Math.min(250 * 2 ** Math.min(this.failures, 5), RECONNECT_MAX_MS));
    };
    client.on('error', (err) => lost(err));
    client.on('end', () => {
      if (this.listener === client) lost(new Error('connection ended'));
    });
    client.on('notification', (msg) => {
      if (msg.payload !== undefined) this.handlers.get(msg.channel)?.forEach((h) => h(msg.payload!));
    });
    client
      .connect()
      .then(async () => {
        // One statement at a time: a pg client runs its queries in turn.
        for (const channel of this.handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      })
      .then(
        () => {
          this.connecting = false;
          if (this.stopped) return void client.end().catch(() => undefined);
          this.failures = 0;
          this.listener = client;
        },
        (err: Error) => {
          this.connecting = false;
          lost(err);
        },
      );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }
}
