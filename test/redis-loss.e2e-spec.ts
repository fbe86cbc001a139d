import { createServer, type Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUDIT_ANCHOR_SCHEDULE, AUDIT_QUEUE } from '@duban/audit';
import { EVENTS_QUEUE, MAIL_QUEUE } from '@duban/notifications';
import { MONTHLY_BULLETIN_SCHEDULE, REPORTS_QUEUE } from '@duban/reports';
import { PURGE_IDEMPOTENCY_KEYS_SCHEDULE, TASK_MAINTENANCE_QUEUE } from '@duban/tasks';
import type { QueueStore } from '@duban/queues';
import pg from 'pg';
import request from 'supertest';
import { buildOrg, type Org } from './support/org-fixture.js';
import { smtpSink } from './support/smtp-sink.js';
import { createTestEnv, freePort, PrivateRedis, type RunningApp, stackQueues, startBuilt, startSeededApi, type TestEnv, waitFor, wipeQueueStore } from './support/test-env.js';

/** The job schedulers a worker keeps, by queue. */
const SCHEDULES: [string, string][] = [
  [AUDIT_QUEUE.name, AUDIT_ANCHOR_SCHEDULE],
  [REPORTS_QUEUE.name, MONTHLY_BULLETIN_SCHEDULE.id],
  [TASK_MAINTENANCE_QUEUE.name, PURGE_IDEMPOTENCY_KEYS_SCHEDULE],
];

/** A webhook subscriber that refuses (503) until told to accept, and keeps each delivery id it accepted, as often as it came. */
function subscriber(accepted: string[], state: { accept: boolean; refused: number }): HttpServer {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (!state.accept) {
        state.refused++;
        res.writeHead(503).end();
        return;
      }
      accepted.push(String(req.headers['x-duban-delivery']));
      res.writeHead(204).end();
    });
  });
}

/**
 * On QUEUE_BACKEND=redis the queues' Redis dies and comes back empty; on postgres, the same loss
 * for the queues there: the schema bullmq emptied (the private Redis then only serves the api).
 */
describe('losing the queue store (Redis restarted empty, or the bullmq tables emptied) loses no notice, webhook delivery, e-mail or job schedule (DESIGN.md)', () => {
  let redis: PrivateRedis;
  let testEnv: TestEnv;
  let api: RunningApp;
  let worker: RunningApp;
  let org: Org;
  let db: pg.Client;
  let sink: Server;
  let hooks: HttpServer;
  const mails: string[] = [];
  const accepted: string[] = [];
  const hookState = { accept: false, refused: 0 };

  /** The stack's queues, on its private Redis or in its database. */
  let queues: QueueStore;
  const queue = (name: string) => queues.queue(name);
  const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0]!.n;
  const countReaches = (sql: string, n: number, what: string, timeoutMs: number) => waitFor(async () => (await count(sql)) === n, what, timeoutMs);
  /** The queue store loses everything it held: Redis dies and comes back empty, as a restart without persistence does. */
  const loseQueueStore = async () => {
    if (testEnv.queueBackend === 'postgres') {
      expect(await wipeQueueStore(testEnv)).toBeGreaterThan(0);
      return;
    }
    await redis.stop();
    await redis.start();
  };
  const createTasks = async (n: number, title: string) => {
    for (let i = 0; i < n; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, n - i) }, (_, j) =>
          request(api.url)
            .post('/api/v1/tasks')
            .set('Authorization', org.token.admin)
            .send({ workflow: 'plan-item', title: `${title} ${i + j}`, leadDepartmentIds: [org.dept.O1] })
            .expect(201),
        ),
      );
    }
  };
  const schedulersPresent = async () => {
    const found = await Promise.all(
      SCHEDULES.map(async ([name, id]) => {
        const q = queue(name);
        try {
          return (await q.getJobScheduler(id)) !== undefined;
        } finally {
          await q.close();
        }
      }),
    );
    return found.every(Boolean);
  };

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    testEnv = await createTestEnv();
    queues = stackQueues({ ...testEnv, redisUrl: redis.url });
    sink = smtpSink(mails);
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => sink.listen(smtpPort, '127.0.0.1', resolve));
    hooks = subscriber(accepted, hookState);
    const hookPort = await freePort();
    await new Promise<void>((resolve) => hooks.listen(hookPort, '127.0.0.1', resolve));
    const shared = { REDIS_URL: redis.url, WEBHOOK_ALLOW_HOSTS: '127.0.0.1', WEBHOOK_BACKOFF_MS: '2000' };
    api = await startSeededApi(testEnv, 'demo-password', shared);
    org = await buildOrg(api.url, 'demo-password');
    for (const user of [org.userId.lead, org.userId.handler]) {
      await request(api.url)
        .patch(`/api/v1/users/${user}`)
        .set('Authorization', org.token.admin)
        .send({ email: `${user}@example.gov.cn` })
        .expect(200);
    }
    await request(api.url)
      .post('/api/v1/webhooks')
      .set('Authorization', org.token.admin)
      .send({ url: `http://127.0.0.1:${hookPort}/duban`, secret: 'redis-loss-secret', events: ['task.created'] })
      .expect(201);
    const port = await freePort();
    worker = await startBuilt(
      'apps/worker/src/main.js',
      { ...testEnv.env, ...shared, WORKER_PORT: String(port), SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, EFFECTS_SWEEP_MS: '300', SCHEDULE_CHECK_MS: '300' },
      port,
      '/health',
    );
    db = new pg.Client({ connectionString: testEnv.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await worker?.stop();
    await api?.stop();
    await queues?.close();
    sink?.close();
    hooks?.close();
    await redis?.stop();
    await testEnv?.dispose();
  });

  it('after the queue store comes back empty, every queued event, delivery waiting for a retry, e-mail and schedule happens, once each', async () => {
    // 20 tasks whose events are done, e-mails queued but held (the mail queue paused) and
    // deliveries refused by the subscriber, so they wait in Redis for a retry.
    const mail = queue(MAIL_QUEUE.name);
    await mail.pause();
    await createTasks(20, '已分发');
    await countReaches(`SELECT count(*)::int AS n FROM outbox WHERE event = 'task.created' AND done_at IS NOT NULL`, 20, 'the first 20 events done', 30_000);
    const waiting = `SELECT count(*)::int AS n FROM webhook_deliveries WHERE attempts > 0 AND next_attempt_at IS NOT NULL`;
    await countReaches(waiting, 20, '20 deliveries waiting for a retry', 30_000);
    // 600 tasks whose events the relay queued while the events queue is paused: none done yet.
    const events = queue(EVENTS_QUEUE.name);
    await events.pause();
    await createTasks(600, '未分发');
    await countReaches(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`, 0, 'the relay to queue all 620 events', 60_000);
    await Promise.all([mail.close(), events.close()]);
    const before = {
      eventsQueuedNotDone: await count(`SELECT count(*)::int AS n FROM outbox WHERE done_at IS NULL`),
      assignedTasks: await count(`SELECT count(DISTINCT task_id)::int AS n FROM notifications WHERE kind = 'assigned'`),
      mailsPending: await count(`SELECT count(*)::int AS n FROM notifications WHERE mail_pending`),
      deliveriesWaiting: await count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE delivered_at IS NULL`),
      mailsSent: mails.length,
      schedulers: await schedulersPresent(),
    };
    expect(before).toEqual({ eventsQueuedNotDone: 600, assignedTasks: 20, mailsPending: 40, deliveriesWaiting: 20, mailsSent: 0, schedulers: true });

    await loseQueueStore();
    hookState.accept = true;

    // Every task's "assigned" notice reaches its two owners (lead and handler of O1), once.
    await countReaches(`SELECT count(*)::int AS n FROM outbox WHERE done_at IS NULL`, 0, 'every event done', 120_000);
    expect(await count(`SELECT count(DISTINCT task_id)::int AS n FROM notifications WHERE kind = 'assigned'`)).toBe(620);
    expect(await count(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'assigned'`)).toBe(1240);
    // Every task's delivery, the 20 that waited for a retry included, is accepted.
    await countReaches(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE delivered_at IS NULL`, 0, 'every delivery', 120_000);
    expect(await count(`SELECT count(*)::int AS n FROM webhook_deliveries`)).toBe(620);
    expect(new Set(accepted).size).toBe(620);
    expect(accepted).toHaveLength(620);
    // Every notice is mailed once, the 40 whose jobs Redis lost included.
    await countReaches(`SELECT count(*)::int AS n FROM notifications WHERE mail_pending`, 0, 'every e-mail', 120_000);
    const mailed = mails.map((m) => /^X-Duban-Notification: (\d+)$/m.exec(m)?.[1]);
    expect(new Set(mailed).size).toBe(1240);
    expect(mailed).toHaveLength(1240);
    // The audit anchor, the monthly bulletin and the purge are scheduled again without a worker restart.
    await waitFor(schedulersPresent, 'the job schedulers', 30_000);
  }, 420_000);
});
