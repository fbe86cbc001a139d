import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import pg from 'pg';
import { createTestEnv, freePort, type RunningApp, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

describe('scheduled worker jobs', () => {
  let testEnv: TestEnv;
  let db: pg.Client;
  let worker: RunningApp | undefined;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    db = new pg.Client({ connectionString: testEnv.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await worker?.stop();
    await db?.end();
    await testEnv?.dispose();
  });

  it('forgets Idempotency-Key records older than 24 hours and keeps fresh ones', async () => {
    const [{ id }] = (await db.query(`INSERT INTO users (username, display_name, password_hash) VALUES ('u', 'U', 'x') RETURNING id`)).rows;
    await db.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response, created_at)
       VALUES ($1, 'old', 'h', 201, '{}', now() - interval '25 hours'), ($1, 'fresh', 'h', 201, '{}', now() - interval '23 hours')`,
      [id],
    );
    const port = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...testEnv.env, WORKER_PORT: String(port) }, port, '/health');
    await waitFor(async () => (await db.query(`SELECT 1 FROM idempotency_keys WHERE key = 'old'`)).rowCount === 0, 'the old key to be purged');
    expect((await db.query(`SELECT key FROM idempotency_keys`)).rows).toEqual([{ key: 'fresh' }]);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toMatch(/duban_queue_jobs\{queue="task-maintenance",state="failed"\} 0/);
    expect(metrics).toMatch(/duban_queue_jobs\{queue="audit",state="(waiting|delayed)"\} \d+/);
  });

  it("publishes the previous month's bulletin once on the 1st (Beijing time) and tells every supervisor", async () => {
    const [{ id: dept }] = (await db.query(`INSERT INTO departments (code, name, kind) VALUES ('jb', '通报测试科', 'office') RETURNING id`)).rows;
    const sup = (
      await db.query(
        `INSERT INTO users (username, display_name, roles, password_hash) VALUES ('s1', '督查员', '{supervisor}', 'x'), ('l1', '科长', '{lead}', 'x') RETURNING id`,
      )
    ).rows;
    // A ticket closed last month, so the bulletin has a department row.
    // Last month in Beijing, where the bulletin's months are counted: from 16:00 UTC on a month's
    // last day Beijing is already in the next month (a run then reports the month ending now).
    const beijing = new Date(Date.now() + 8 * 3_600_000);
    const lastMonth = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - 1, 15, 2));
    await db.query(
      `INSERT INTO tasks (ref, workflow_key, workflow_version, title, state, state_entered_at, due_at, created_at, closed_at, primary_department_id,
                          handling_working_days, closed_early)
       VALUES ('JB-1', 'hotline-ticket', 1, '已办结', 'closed', $1, $1::timestamptz + interval '2 days', $1, $1::timestamptz + interval '1 day', $2, 1, true)`,
      [lastMonth, dept],
    );
    if (!worker) {
      const port = await freePort();
      worker = await startBuilt('apps/worker/src/main.js', { ...testEnv.env, WORKER_PORT: String(port) }, port, '/health');
    }
    const queue = new Queue('reports', { connection: { url: testEnv.redisUrl }, prefix: testEnv.queuePrefix });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toEqual([expect.objectContaining({ key: 'monthly-bulletin', pattern: '0 0 1 * *', tz: 'Asia/Shanghai' })]);
      // What the scheduler does on the 1st, run now: twice, as a retried or duplicated run would.
      await queue.add('monthly-bulletin', {}, { jobId: 'test-run-1' });
      await waitFor(async () => (await db.query(`SELECT 1 FROM bulletins`)).rowCount === 1, 'the bulletin to be stored');
      await queue.add('monthly-bulletin', {}, { jobId: 'test-run-2' });
      await waitFor(
        async () => (await queue.getJobState('test-run-2')) === 'completed' || (await queue.getJob('test-run-2')) === undefined,
        'the second run to finish',
      );
    } finally {
      await queue.close();
    }
    const bulletins = (await db.query(`SELECT title, content FROM bulletins`)).rows;
    expect(bulletins).toHaveLength(1);
    const month = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', month: 'numeric' }).format(lastMonth));
    expect(bulletins[0].title).toMatch(new RegExp(`^\\d{4}年${month}月督办事项办理情况通报$`));
    expect(bulletins[0].content.rows).toEqual([[1, '通报测试科', 1, 1, '100.00%', '100.00%', '1.00', '—', '—', 0, 0, 0, 0, 0, 0]]);
    // Each row's department is kept with it, so that a lead or supervisor is shown only the rows it may read.
    expect(bulletins[0].content.departmentIds).toEqual([dept]);
    const notices = (await db.query(`SELECT user_id, kind, title FROM notifications`)).rows;
    expect(notices).toEqual([{ user_id: sup[0].id, kind: 'bulletin', title: `【通报】${bulletins[0].title}` }]);
  });
});
