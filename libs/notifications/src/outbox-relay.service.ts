import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectProducer, type Producer } from '@duban/queues';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { SweepRound } from './sweep-round.js';
import { hasEffectsSql } from './event-effects.js';
import { type EventJobs, EVENTS_QUEUE } from './events.queue.js';

const POLL_MS = 1_000;
const BATCH = 200;

/**
 * Publishes committed outbox rows as BullMQ jobs (`ob-<id>`, so a row published twice, after a
 * crash between enqueue and mark, is one job), then marks them dispatched. Woken by LISTEN/NOTIFY
 * right after a commit, and polling every second in case a notification was missed. Several
 * relays share the work through FOR UPDATE SKIP LOCKED. Dispatched is not done: an event is done
 * when the events job has written its effects (`done_at`), and `sweep` re-queues the dispatched
 * events whose jobs Redis lost or that failed for good.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private listener?: pg.Client;
  private poll?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectProducer(EVENTS_QUEUE) private readonly queue: Producer<EventJobs>,
    @Inject(ConfigService) private readonly config: ConfigService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    this.poll = setInterval(() => this.wake(), POLL_MS);
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    await this.draining;
    await this.listener?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.getOrThrow<string>('DATABASE_URL'), application_name: 'duban-outbox-relay' });
    client.on('notification', () => this.wake());
    client.on('error', (err) => {
      // The poll keeps the relay going; listening resumes on the next start.
      this.logger.warn(`outbox LISTEN connection lost: ${err.message}`);
    });
    try {
      await client.connect();
      await client.query('LISTEN duban_outbox');
      this.listener = client;
    } catch (err) {
      this.logger.warn(`outbox LISTEN unavailable, polling only: ${(err as Error).message}`);
    }
  }

  /** Drains now, or once more after the drain under way. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .then(() => undefined)
      .catch((err: Error) => this.logger.warn(`outbox relay: ${err.message}`))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Publishes every undispatched row; returns how many. */
  async drain(): Promise<number> {
    let total = 0;
    // An event whose effects (EVENT_EFFECTS) leave nothing to do, no notice and no subscribed
    // webhook, is settled here without a job: under a burst of firings that halves the queues' work.
    const wanted = hasEffectsSql(2);
    for (;;) {
      const published = await this.db.transaction(async (tx) => {
        const rows: { id: string; wanted: boolean }[] = await tx.query(
          `SELECT o.id::text AS id, ${wanted.sql} AS wanted
             FROM outbox o WHERE o.dispatched_at IS NULL ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED`,
          [BATCH, ...wanted.params],
        );
        if (rows.length === 0) return 0;
        const jobs = rows.filter((r) => r.wanted).map((r) => ({ name: 'dispatch' as const, data: { outboxId: r.id } }));
        if (jobs.length > 0) await this.queue.addBulk(jobs);
        // A row with nothing to do is done as soon as it is dispatched.
        await tx.query(
          `UPDATE outbox SET dispatched_at = now(), done_at = CASE WHEN id = ANY($2::bigint[]) THEN NULL ELSE now() END
            WHERE id = ANY($1::bigint[])`,
          [rows.map((r) => r.id), jobs.map((j) => j.data.outboxId)],
        );
        return rows.length;
      });
      total += published;
      if (published < BATCH) return total;
    }
  }

  /**
   * Puts back the jobs of dispatched events that are not done, dispatched at least `settleMs`
   * ago (PostgreSQL's clock), whose jobs Redis lost or that failed for good (Producer.restore);
   * of those with ids above `after`, at most `limit` in id order. Returns how many jobs it put
   * back and where to go on (SweepRound).
   */
  async sweep(limit: number, settleMs: number, after = '0'): Promise<SweepRound> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id::text AS id FROM outbox
        WHERE done_at IS NULL AND dispatched_at < now() - make_interval(secs => $1::double precision / 1000) AND id > $3::bigint
        ORDER BY id LIMIT $2`,
      [settleMs, limit, after],
    );
    const { lost, failed } = await this.queue.restore(rows.map((r) => ({ name: 'dispatch' as const, data: { outboxId: r.id } })));
    return { put: lost + failed, next: rows.length === limit ? rows.at(-1)!.id : null };
  }
}
