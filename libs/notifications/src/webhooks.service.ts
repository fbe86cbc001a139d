import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { PG_FOREIGN_KEY, pgCode } from '@duban/db';
import { DomainError, InvalidInputError } from '@duban/http';
import { backoffDelayMs, InjectProducer, jobOptionsOf, type Producer } from '@duban/queues';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import type { OutboxEvent } from './event-effects.js';
import { maskUrl, parseAllowHosts } from './webhook-address.js';
import { checkTarget, postToTarget, RefusedTargetError } from './webhook-target.js';
import { type WebhookJobs, WEBHOOKS_QUEUE } from './webhooks.queue.js';

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  departmentId: string | null;
  createdAt: string;
}

export interface DeliveryView {
  id: string;
  event: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export class WebhookNotFoundError extends DomainError.of(404, 'webhook-not-found', 'Webhook not found') {
  constructor(id: string) {
    super(`There is no webhook ${id}.`);
  }
}

/** A delivery the subscriber did not accept; BullMQ retries it with backoff. */
export class DeliveryRefusedError extends Error {}

/** A row of webhooks as the views read it. */
interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  department_id: string | null;
  created_at: Date;
}

/** A row of webhook_deliveries as the delivery list reads it. */
interface DeliveryRow {
  id: string;
  event: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

/** What one delivery attempt reads: the delivery and its webhook's address and secret. */
interface PendingDeliveryRow {
  id: string;
  event: string;
  payload: unknown;
  created_at: Date;
  delivered_at: Date | null;
  attempts: number;
  outbox_id: string;
  url: string;
  secret: string;
}

const TIMEOUT_MS = 10_000;
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The event of a test delivery (POST /webhooks/:id/test); sent whatever events the webhook subscribes to. */
export const TEST_EVENT = 'webhook.test';

const toDeliveryView = (r: DeliveryRow): DeliveryView => ({
  id: r.id,
  event: r.event,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  nextAttemptAt: iso(r.next_attempt_at),
  deliveredAt: iso(r.delivered_at),
  createdAt: r.created_at.toISOString(),
});

/** Webhook subscriptions, and the deliveries of outbox events to them. */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectProducer(WEBHOOKS_QUEUE) private readonly queue: Producer<WebhookJobs>,
    @Inject(ConfigService) private readonly config: ConfigService,
  ) {}

  /** WEBHOOK_ALLOW_HOSTS: names and addresses an admin lets webhooks reach although they are not public. */
  private get allowHosts(): Set<string> {
    return parseAllowHosts(this.config.get<string>('WEBHOOK_ALLOW_HOSTS'));
  }

  /** A webhook is created only for a URL whose host resolves to public addresses (or is allowed). */
  async create(input: { url: string; secret: string; events: string[]; departmentId?: string | null }): Promise<WebhookView> {
    try {
      await checkTarget(input.url, this.allowHosts);
    } catch (err) {
      if (err instanceof RefusedTargetError) throw new InvalidInputError('url', err.message);
      throw err;
    }
    try {
      const [row] = await this.db.query<WebhookRow[]>(
        `INSERT INTO webhooks (url, secret, events, department_id) VALUES ($1, $2, $3, $4) RETURNING id, url, events, department_id, created_at`,
        [input.url, input.secret, [...new Set(input.events)], input.departmentId ?? null],
      );
      return { id: row.id, url: maskUrl(row.url), events: row.events, departmentId: row.department_id, createdAt: row.created_at.toISOString() };
    } catch (err) {
      if (pgCode(err) === PG_FOREIGN_KEY) throw new InvalidInputError('departmentId', 'no such department');
      throw err;
    }
  }

  async list(page: number, limit: number): Promise<{ items: WebhookView[]; total: number }> {
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM webhooks`);
    const rows = await this.db.query<WebhookRow[]>(
      `SELECT id, url, events, department_id, created_at FROM webhooks ORDER BY created_at, id LIMIT $1 OFFSET $2`,
      [limit, (page - 1) * limit],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        url: maskUrl(r.url),
        events: r.events,
        departmentId: r.department_id,
        createdAt: r.created_at.toISOString(),
      })),
      total,
    };
  }

  async deliveries(webhookId: string, page: number, limit: number): Promise<{ items: DeliveryView[]; total: number }> {
    const [hook] = await this.db.query<unknown[]>(`SELECT 1 FROM webhooks WHERE id = $1`, [webhookId]);
    if (!hook) throw new WebhookNotFoundError(webhookId);
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM webhook_deliveries WHERE webhook_id = $1`, [webhookId]);
    const rows = await this.db.query<DeliveryRow[]>(
      `SELECT id, event, attempts, last_status, last_error, next_attempt_at, delivered_at, created_at FROM webhook_deliveries
        WHERE webhook_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [webhookId, limit, (page - 1) * limit],
    );
    return { items: rows.map(toDeliveryView), total };
  }

  /** Unsubscribes: the webhook goes with its deliveries; a queued attempt then finds nothing to send. */
  async remove(webhookId: string): Promise<void> {
    // As a SELECT, so the answer is the rows (TypeORM answers a bare DELETE with [rows, count]).
    const rows = await this.db.query<{ id: string }[]>(`WITH gone AS (DELETE FROM webhooks WHERE id = $1 RETURNING id) SELECT id FROM gone`, [webhookId]);
    if (rows.length === 0) throw new WebhookNotFoundError(webhookId);
  }

  /**
   * A test delivery to one webhook: an event `webhook.test` written to the outbox as already
   * handled (the relay has nothing to fan out) and one delivery of it to this webhook alone,
   * queued like any other, so it is signed, retried and listed in the deliveries the same way.
   */
  async sendTest(webhookId: string): Promise<DeliveryView> {
    const payload = JSON.stringify({ test: true, message: '这是一条测试投递。This is a test delivery.' });
    const [row] = await this.db.query<DeliveryRow[]>(
      `WITH hook AS (SELECT id FROM webhooks WHERE id = $1),
            event AS (
              INSERT INTO outbox (event, payload, dispatched_at, done_at)
              SELECT '${TEST_EVENT}', $2::jsonb, now(), now() FROM hook RETURNING id)
       INSERT INTO webhook_deliveries (webhook_id, outbox_id, event, payload)
       SELECT $1, event.id, '${TEST_EVENT}', $2::jsonb FROM event
       RETURNING id, event, attempts, last_status, last_error, next_attempt_at, delivered_at, created_at`,
      [webhookId, payload],
    );
    if (!row) throw new WebhookNotFoundError(webhookId);
    await this.queue.add('deliver', { deliveryId: row.id });
    return toDeliveryView(row);
  }

  /**
   * A delivery of the event to each webhook subscribed to it (by name or "*" and, when the
   * subscription names one, the task's department), queued. Safe to repeat: a delivery is
   * unique per subscription and event.
   */
  async fanOut(event: OutboxEvent): Promise<void> {
    await this.db.query(
      `WITH matching AS (
         SELECT w.id FROM webhooks w LEFT JOIN tasks t ON t.id = $3
          WHERE (w.events && ARRAY[$2, '*'])
            AND (w.department_id IS NULL OR w.department_id = ANY(coalesce(t.owner_department_ids, '{}')))
       ), inserted AS (
         INSERT INTO webhook_deliveries (webhook_id, outbox_id, event, payload)
         SELECT id, $1, $2, $4::jsonb FROM matching
         ON CONFLICT (webhook_id, outbox_id) DO NOTHING
       )
       SELECT 1`,
      [event.id, event.event, event.taskId, JSON.stringify(event.payload)],
    );
    // Read after the insert: a repeated dispatch finds the deliveries the first one made, and
    // their job ids keep each in the queue once.
    const fresh = await this.db.query<{ id: string }[]>(`SELECT id FROM webhook_deliveries WHERE outbox_id = $1 AND delivered_at IS NULL`, [event.id]);
    if (fresh.length > 0) await this.queue.addBulk(fresh.map((d) => ({ name: 'deliver', data: { deliveryId: d.id } })));
  }

  /**
   * POSTs one delivery: the same X-Duban-Delivery on every attempt, the body signed with the
   * subscriber's secret. `attempt` is the job's (1 = first) and sets the wait before the next
   * try, as BullMQ's backoff will; the delivery's own `attempts` decide when to give up, so a
   * job that Redis lost and the sweep queued again does not start the count anew. A delivery
   * given up has no `next_attempt_at`.
   */
  async deliver(deliveryId: string, attempt: number): Promise<void> {
    const [d] = await this.db.query<PendingDeliveryRow[]>(
      `SELECT d.id, d.event, d.payload, d.created_at, d.delivered_at, d.attempts, d.outbox_id::text AS outbox_id, w.url, w.secret
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
      [deliveryId],
    );
    if (!d || d.delivered_at) return;
    const options = jobOptionsOf(WEBHOOKS_QUEUE, this.config);
    if (d.attempts >= (options.attempts ?? 1)) {
      // Given up already (a job put back just as the last attempt failed): nothing more is sent.
      await this.db.query(`UPDATE webhook_deliveries SET next_attempt_at = NULL WHERE id = $1`, [deliveryId]);
      return;
    }
    const body = JSON.stringify({ id: d.id, event: d.event, createdAt: d.created_at.toISOString(), data: d.payload });
    const signature = createHmac('sha256', d.secret).update(body).digest('hex');
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Checked again at each attempt, and the connection pinned to the address checked.
      const target = await checkTarget(d.url, this.allowHosts);
      status = await postToTarget(
        target,
        {
          'content-type': 'application/json',
          'user-agent': 'Duban-Webhooks/1',
          'x-duban-event': d.event,
          'x-duban-delivery': d.id,
          'x-duban-signature': `sha256=${signature}`,
        },
        body,
        TIMEOUT_MS,
      );
    } catch (err) {
      error = (err as Error).message.slice(0, 500);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const left = d.attempts + 1 < (options.attempts ?? 1);
    // When BullMQ will try again, by the webhooks queue's own backoff; none once given up.
    await this.db.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,
              delivered_at = CASE WHEN $4::boolean THEN now() END,
              next_attempt_at = CASE WHEN $4::boolean OR NOT $6::boolean THEN NULL ELSE now() + make_interval(secs => $5::double precision / 1000) END
        WHERE id = $1`,
      [deliveryId, status, error, ok, backoffDelayMs(options, attempt), left],
    );
    if (ok) return;
    const reason = error ?? `subscriber answered ${status}`;
    if (!left) throw new UnrecoverableError(`delivery given up after ${d.attempts + 1} attempts: ${reason}`);
    throw new DeliveryRefusedError(reason);
  }

  /**
   * Queues again, at most `limit`, the undelivered deliveries that should be under way: never
   * tried and created at least `settleMs` ago, or due for their next attempt at least `settleMs`
   * ago (PostgreSQL's clock), whose jobs Redis lost or that failed for good (Producer.restore).
   * Given-up deliveries are left. Returns how many jobs it put back.
   */
  async sweep(limit: number, settleMs: number): Promise<number> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM webhook_deliveries
        WHERE delivered_at IS NULL AND (next_attempt_at IS NOT NULL OR attempts = 0)
          AND (next_attempt_at < now() - make_interval(secs => $1::double precision / 1000)
               OR (attempts = 0 AND created_at < now() - make_interval(secs => $1::double precision / 1000)))
        ORDER BY created_at LIMIT $2`,
      [settleMs, limit],
    );
    const { lost, failed } = await this.queue.restore(rows.map((r) => ({ name: 'deliver' as const, data: { deliveryId: r.id } })));
    return lost + failed;
  }
}
