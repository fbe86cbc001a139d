/**
 * Timers at scale, with two real worker processes on this machine, on the queue backend
 * QUEUE_BACKEND names (redis unless set; postgres keeps the jobs in the schema bullmq):
 *  1. 100,000 timers months away: the queue store's size before and after the pump ran (goal: flat).
 *  2. 10,000 timers due in the same second: drain time, firing rate, lateness p50/p99.
 *  3. A steady 200 timers/s for a minute: lateness p50/p99 (goal p99 < 1 s).
 * Each firing does the real work: claim, owners' notices, audit link, outbox event.
 * Prints one JSON object. Run: npm run build && [QUEUE_BACKEND=postgres] npm run bench:timers
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadavg } from 'node:os';
import { createTestEnv, disposeRun, freePort, type RunningApp, runBuilt, startBuilt, waitFor } from '../test/support/test-env.js';

const workers: RunningApp[] = [];
/** Other work on the machine when the bench starts (the figures depend on it). */
const loadAtStart = loadavg()[0];
/** The workers' PostgreSQL queue pool (QUEUE_BACKEND=postgres): 20, where 10 (the default) fell behind the steady rate. */
const QUEUE_POOL_SIZE = process.env.QUEUE_POOL_SIZE ?? '20';
try {
  const env = await createTestEnv();
  if ((await runBuilt('apps/cli/src/seed-demo.js', { DATABASE_URL: env.databaseUrl, DEMO_PASSWORD: 'bench-password', DEMO_SCOPE: 'base' })).code !== 0)
    throw new Error('seed failed');
  const db = new pg.Client({ connectionString: env.databaseUrl });
  await db.connect();
  const redis = env.queueBackend === 'redis' ? new Redis(env.redisUrl) : undefined;

  const [{ id: dept }] = (await db.query<{ id: string }>(`INSERT INTO departments (code, name, kind) VALUES ('bench', '压测科', 'office') RETURNING id`)).rows;
  await db.query(
    `INSERT INTO users (username, display_name, roles, department_id, password_hash)
     VALUES ('l', '科长', '{lead}', $1, 'x'), ('h', '经办人', '{handler}', $1, 'x')`,
    [dept],
  );
  const TASKS = 100_000;
  await db.query(
    `INSERT INTO tasks (ref, workflow_key, workflow_version, title, state, state_entered_at, due_at)
     SELECT 'B' || i, 'hotline-ticket', 1, '压测工单' || i, 'processing', now(), now() + interval '30 days' FROM generate_series(1, $1) i`,
    [TASKS],
  );
  await db.query(`INSERT INTO task_owners (task_id, department_id, role, position) SELECT id, $1, 'lead', 0 FROM tasks`, [dept]);
  await db.query(
    `INSERT INTO timers (task_id, key, kind, due_at, notify) SELECT id, 'overdue:far', 'overdue', now() + interval '30 days', '{owner}' FROM tasks`,
  );
  await db.query('ANALYZE');

  /** Bytes the queue store holds: Redis's used memory, or the size of the schema bullmq. */
  const memory = async () =>
    env.queueBackend === 'redis'
      ? Number(/used_memory:(\d+)/.exec(await redis!.info('memory'))![1])
      : Number(
          (
            await db.query<{ bytes: string }>(
              `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'bullmq' AND c.relkind IN ('r', 'm')`,
            )
          ).rows[0].bytes,
        );
  /** The stack's keys in Redis, or its job rows in PostgreSQL. */
  const keys = async () => {
    if (env.queueBackend === 'postgres') return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM bullmq.job`)).rows[0].n;
    let count = 0;
    let cursor = '0';
    do {
      const [next, found] = await redis!.scan(cursor, 'MATCH', `${env.queuePrefix}*`, 'COUNT', 1000);
      count += found.length;
      cursor = next;
    } while (cursor !== '0');
    return count;
  };

  const before = await memory();
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    workers.push(
      await startBuilt(
        'apps/worker/src/main.js',
        { ...env.env, WORKER_PORT: String(port), TIMER_PUMP_INTERVAL_MS: '200', TIMER_HORIZON_MS: '60000', QUEUE_POOL_SIZE, LOG_LEVEL: 'warn' },
        port,
        '/health',
      ),
    );
  }
  await new Promise((r) => setTimeout(r, 3000));
  const after = await memory();
  const idle = {
    pendingTimers: TASKS,
    queueStoreBytesBefore: before,
    queueStoreBytesAfter: after,
    queueStoreDeltaMB: Number(((after - before) / 1048576).toFixed(2)),
    queueEntriesOfStack: await keys(),
  };

  /** Fires `count` timers due at the given offsets and reports how it went. */
  const run = async (name: string, count: number, offsetMs: (i: number) => number) => {
    const base = Date.now() + 5_000;
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO timers (task_id, key, kind, due_at, notify)
       SELECT id, $1 || ':' || rn, 'reminder', to_timestamp(($2::double precision + ($3::double precision * (rn - 1))) / 1000), '{owner}'
         FROM (SELECT id, row_number() OVER () AS rn FROM tasks LIMIT $4) t
       RETURNING id`,
      [name, base, offsetMs(1) - offsetMs(0), count],
    );
    const ids = rows.map((r) => r.id);
    // Polled with one probe of the live-timers index (is any timer due by the run's last instant
    // still live?): counting the run's 10,000 ids every 50 ms kept a PostgreSQL backend a quarter
    // busy on this 2-core machine, taken from the firing it measures. The count follows once.
    const lastDue = new Date(base + offsetMs(count - 1));
    await waitFor(
      async () => !(await db.query(`SELECT 1 FROM timers WHERE status IN ('pending', 'enqueued') AND due_at <= $1 LIMIT 1`, [lastDue])).rowCount,
      `${name}: all ${count} timers to fire`,
      600_000,
    );
    const firedCount = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM timers WHERE id = ANY($1::uuid[]) AND status = 'fired'`, [ids])).rows[0]
      .n;
    if (firedCount !== count) throw new Error(`${name}: ${firedCount} of ${count} timers fired`);
    const [stats] = (
      await db.query<Record<'spread' | 'drain_ms' | 'p50' | 'p99' | 'max', string>>(
        `SELECT extract(epoch FROM max(fired_at) - min(fired_at)) AS spread,
                extract(epoch FROM max(fired_at)) * 1000 - $2 AS drain_ms,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fired_at - due_at)) AS p50,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM fired_at - due_at)) AS p99,
                max(extract(epoch FROM fired_at - due_at)) AS max
           FROM timers WHERE id = ANY($1::uuid[])`,
        [ids, base + offsetMs(count - 1)],
      )
    ).rows;
    const notices = (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE source = ANY($1::text[])`, [ids.map((id) => `timer:${id}`)])
    ).rows[0].n;
    return {
      timers: count,
      notices,
      drainMsAfterLastDue: Math.round(Number(stats.drain_ms)),
      firingsPerSec: Math.round(count / Math.max(Number(stats.spread), 0.001)),
      latenessP50Ms: Math.round(Number(stats.p50) * 1000),
      latenessP99Ms: Math.round(Number(stats.p99) * 1000),
      latenessMaxMs: Math.round(Number(stats.max) * 1000),
    };
  };

  const burst = await run('burst', 10_000, () => 0);
  const steady = await run('steady', 12_000, (i) => i * 5);
  console.log(
    JSON.stringify(
      {
        bench: 'timers',
        queueBackend: env.queueBackend,
        queuePoolSize: env.queueBackend === 'postgres' ? Number(QUEUE_POOL_SIZE) : undefined,
        node: process.version,
        workers: 2,
        loadAverage1mAtStart: Number(loadAtStart.toFixed(2)),
        loadAverage1mAtEnd: Number(loadavg()[0].toFixed(2)),
        idle,
        burst,
        steady200PerSec: steady,
        goals:
          env.queueBackend === 'redis'
            ? { idleQueueStoreDeltaMB: '< 5', burstFiringsPerSec: '>= 2000', steadyLatenessP99Ms: '< 1000' }
            : { idleQueueStoreDeltaMB: '< 5', burstFiringsPerSec: '>= 1500', steadyLatenessP99Ms: '< 200' },
      },
      null,
      2,
    ),
  );
  redis?.disconnect();
  await db.end();
} finally {
  for (const w of workers) await w.stop();
  await disposeRun();
}
