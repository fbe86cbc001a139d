import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import { backoffDelayMs } from '@duban/queues';
import { timerIdsOf, TIMERS_QUEUE } from '@duban/timers';
import { waitForDrained } from './support/drained.js';
import { buildOrg, type Org } from './support/org-fixture.js';
import { PrivatePostgres } from './support/private-postgres.js';
import { freePort, REDIS_URL, type RunningApp, runBuilt, startBuilt, startSeededApi, type TestEnv, waitFor } from './support/test-env.js';

const TASKS = 40;

/** One timer per task: the overdue notice, due 15 s after creation (time to create 40 and stop PostgreSQL). */
const OVERDUE_ONLY = {
  key: 'outage-ticket',
  name: '停库工单',
  deadline: '15s',
  states: [
    { key: 'open', label: '办理中', initial: true },
    { key: 'closed', label: '已办结', terminal: true },
  ],
  transitions: [{ action: 'close', from: ['open'], to: 'closed', allowed: ['owner'] }],
  reminders: [],
  escalations: [],
};

/** From the first failed run to the job failing for good: the sum of the backoffs between its attempts. */
function retryBudgetMs(): number {
  const options = TIMERS_QUEUE.defaultJobOptions;
  if (typeof options === 'function') throw new Error('the timers queue reads its retries from the environment');
  let budget = 0;
  for (let attempt = 1; attempt < (options.attempts ?? 1); attempt++) budget += backoffDelayMs(options, attempt);
  return budget;
}

describe('timers fire once after PostgreSQL was down longer than their retries last', () => {
  let cluster: PrivatePostgres;
  let testEnv: TestEnv;
  let api: RunningApp;
  let worker: RunningApp;
  let org: Org;

  beforeAll(async () => {
    cluster = new PrivatePostgres(await freePort());
    await cluster.init();
    await cluster.start();
    const id = `duban_pgoutage_${randomBytes(4).toString('hex')}`;
    const databaseUrl = await cluster.createDatabase(id);
    const env = { DATABASE_URL: databaseUrl, REDIS_URL, QUEUE_PREFIX: id, JWT_SECRET: randomBytes(24).toString('hex'), LOG_LEVEL: 'silent' };
    testEnv = { databaseUrl, redisUrl: REDIS_URL, queuePrefix: id, queueBackend: 'redis', env, dispose: () => cluster.dispose() };
    const migrated = await runBuilt('apps/cli/src/migrate.js', { DATABASE_URL: databaseUrl }, 60_000);
    if (migrated.code !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);
    api = await startSeededApi(testEnv, 'demo-password');
    org = await buildOrg(api.url, 'demo-password');
    await request(api.url).post('/api/v1/workflows').set('Authorization', org.token.admin).send(OVERDUE_ONLY).expect(201);
    const port = await freePort();
    worker = await startBuilt(
      'apps/worker/src/main.js',
      { ...env, WORKER_PORT: String(port), TIMER_PUMP_INTERVAL_MS: '200', TIMER_HORIZON_MS: '60000' },
      port,
      '/health',
    );
  }, 120_000);

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await api?.stop('SIGKILL');
    await cluster?.dispose();
    if (testEnv) {
      const redis = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${testEnv.queuePrefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    }
  }, 60_000);

  const query = async <T extends object>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: testEnv.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const timerCounts = async (taskIds: string[]) =>
    Object.fromEntries(
      (
        await query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM timers WHERE task_id = ANY($1::uuid[]) GROUP BY status`, [taskIds])
      ).map((r) => [r.status, r.n]),
    ) as Record<string, number | undefined>;

  it('fires every timer that fell due during a 140 s+ outage exactly once, after PostgreSQL is back', async () => {
    const budget = retryBudgetMs();
    const taskIds: string[] = [];
    for (let i = 0; i < TASKS; i++) {
      const res = await request(api.url)
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: 'outage-ticket', title: `停库期间到期的工单${i}`, leadDepartmentIds: [org.dept.O1] })
        .expect(201);
      taskIds.push(res.body.id as string);
    }
    // The pump has handed every timer to BullMQ; none is due yet.
    await waitFor(async () => (await timerCounts(taskIds)).enqueued === TASKS, 'all timers enqueued');
    const [{ last }] = await query<{ last: Date }>(`SELECT max(due_at) AS last FROM timers WHERE task_id = ANY($1::uuid[])`, [taskIds]);
    const [{ first }] = await query<{ first: Date }>(`SELECT min(due_at) AS first FROM timers WHERE task_id = ANY($1::uuid[])`, [taskIds]);

    await cluster.stop();
    const stoppedAt = Date.now();
    expect(first.getTime()).toBeGreaterThan(stoppedAt);

    // Outage: until every timer job has spent all its attempts and failed for good.
    const timers = new Queue(TIMERS_QUEUE.name, { connection: { url: REDIS_URL }, prefix: testEnv.queuePrefix });
    try {
      // Timers due together share a job: count the timers of the failed jobs.
      const failedTimers = async () => (await timers.getFailed(0, -1)).reduce((n, job) => n + timerIdsOf(job.data).length, 0);
      await waitFor(async () => (await failedTimers()) === TASKS, 'every timer job failed for good', last.getTime() - stoppedAt + budget + 60_000);
    } finally {
      await timers.close();
    }
    const outageMs = Date.now() - stoppedAt;
    expect(outageMs).toBeGreaterThan(budget);
    await cluster.start();

    await waitFor(
      async () => (await timerCounts(taskIds)).fired === TASKS,
      `all ${TASKS} timers fired after a ${Math.round(outageMs / 1000)} s outage (retry budget ${budget / 1000} s)`,
      60_000,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}; timers now: ${JSON.stringify(await timerCounts(taskIds))}`);
    });
    await waitForDrained(testEnv, { timeoutMs: 60_000 });

    // Each timer fired once: one overdue notice to each owner (lead and handler of O1), one audit entry.
    const notices = await query<{ task_id: string; user_id: string; n: number }>(
      `SELECT task_id, user_id, count(*)::int AS n FROM notifications WHERE task_id = ANY($1::uuid[]) AND kind = 'overdue' GROUP BY task_id, user_id`,
      [taskIds],
    );
    expect(notices.filter((r) => r.n !== 1)).toEqual([]);
    for (const taskId of taskIds) {
      expect(
        notices
          .filter((r) => r.task_id === taskId)
          .map((r) => r.user_id)
          .sort(),
      ).toEqual([org.userId.handler, org.userId.lead].sort());
    }
    const audit = await query<{ task_id: string; n: number }>(
      `SELECT task_id, count(*)::int AS n FROM audit_entries WHERE task_id = ANY($1::uuid[]) AND action = 'timer.overdue' GROUP BY task_id`,
      [taskIds],
    );
    expect(audit).toHaveLength(TASKS);
    expect(audit.filter((r) => r.n !== 1)).toEqual([]);
  }, 600_000);
});
