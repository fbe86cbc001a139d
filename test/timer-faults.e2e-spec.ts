import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { waitForDrained } from './support/drained.js';
import { buildOrg, type Org } from './support/org-fixture.js';
import { createTestEnv, freePort, type RunningApp, startBuilt, startSeededApi, type TestEnv, waitFor, wipeQueueStore } from './support/test-env.js';

const workflow = (key: string, deadline: string, reminder: string, second: string) => ({
  key,
  name: key,
  deadline,
  states: [
    { key: 'open', label: '办理中', initial: true },
    { key: 'closed', label: '已办结', terminal: true },
  ],
  transitions: [{ action: 'close', from: ['open'], to: 'closed', allowed: ['owner'] }],
  reminders: [{ before: reminder, notify: ['owner'] }],
  escalations: [
    { level: 1, after: '0s', notify: ['supervisor'], card: 'yellow' },
    { level: 2, after: second, notify: ['supervisor'], card: 'red' },
  ],
});

describe('timers survive a queue store that lost its jobs and a killed worker', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  const workers: RunningApp[] = [];

  const startWorker = async () => {
    const port = await freePort();
    const worker = await startBuilt(
      'apps/worker/src/main.js',
      { ...testEnv.env, WORKER_PORT: String(port), TIMER_PUMP_INTERVAL_MS: '200', TIMER_HORIZON_MS: '60000', JOB_LOCK_MS: '2000' },
      port,
      '/health',
    );
    workers.push(worker);
    return worker;
  };
  const create = async (wf: string, title: string) =>
    (
      await request(api.url)
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: wf, title, leadDepartmentIds: [org.dept.O1] })
        .expect(201)
    ).body.id as string;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    api = await startSeededApi(testEnv, 'demo-password');
    org = await buildOrg(api.url, 'demo-password');
    // The burst's reminders come due 16 s after creation, once its 150 tasks exist and its workers run: they
    // fire before their due date, so each reminds (a reminder that fires after it sends nothing).
    const flows = [workflow('wipe-ticket', '8s', '4s', '2s'), workflow('burst-ticket', '20s', '4s', '3s'), workflow('outage-ticket', '3s', '2s', '1s')];
    for (const wf of flows) {
      await request(api.url).post('/api/v1/workflows').set('Authorization', org.token.admin).send(wf).expect(201);
    }
    db = new pg.Client({ connectionString: testEnv.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    for (const w of workers) await w.stop('SIGKILL');
    await db?.end();
    await api?.stop();
    await testEnv?.dispose();
  });

  /** Notices per task and kind, counting each recipient. */
  const notices = async (taskIds: string[]) =>
    (
      await db.query(
        `SELECT task_id, kind, count(*)::int AS n FROM notifications WHERE task_id = ANY($1::uuid[]) AND kind <> 'assigned' GROUP BY task_id, kind`,
        [taskIds],
      )
    ).rows as { task_id: string; kind: string; n: number }[];

  /** The tasks whose level 1 fired together with level 2 (its job held up past level 2's due time), and so stayed silent behind it. */
  const silentLevel1 = async (taskIds: string[]) => {
    const silent = await db.query(
      `SELECT task_id, data->>'skipped' AS skipped FROM audit_entries WHERE task_id = ANY($1::uuid[]) AND action = 'timer.escalation' AND data ? 'skipped'`,
      [taskIds],
    );
    const behind = new Set((silent.rows as { task_id: string; skipped: string }[]).filter((r) => r.skipped === 'superseded by level 2').map((r) => r.task_id));
    expect(silent.rowCount).toBe(behind.size);
    return behind;
  };

  it('after an outage tells owners once it is overdue, the supervisor once the highest level reached: no stale reminder, no level 1 behind 2', async () => {
    // No worker runs: the api alone creates the tasks, whose timers all fall due in PostgreSQL.
    expect(workers).toHaveLength(0);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await create('outage-ticket', `停机${i}`));
    const timersOf = async (status: string, sql = '') =>
      (await db.query(`SELECT count(*)::int AS n FROM timers WHERE task_id = ANY($1::uuid[]) AND status = $2 ${sql}`, [ids, status])).rows[0].n as number;
    await waitFor(async () => (await timersOf('pending', 'AND due_at > now()')) === 0, 'every timer (reminder, overdue, two levels) to fall due', 20_000);
    expect(await timersOf('pending')).toBe(160);
    // Two workers come back: the 160 jobs spread over both and over their batches.
    await Promise.all([startWorker(), startWorker()]);
    await waitFor(async () => (await timersOf('fired')) === 160, 'all 160 timers to fire', 30_000);
    await waitForDrained(testEnv, { timeoutMs: 30_000 });

    const rows = (
      await db.query(`SELECT task_id, kind, data->>'level' AS level FROM notifications WHERE task_id = ANY($1::uuid[]) AND kind <> 'assigned' ORDER BY id`, [
        ids,
      ])
    ).rows as { task_id: string; kind: string; level: string | null }[];
    const perTask = new Map<string, string[]>();
    for (const r of rows) perTask.set(r.task_id, [...(perTask.get(r.task_id) ?? []), r.level ? `${r.kind}:${r.level}` : r.kind]);
    for (const id of ids) {
      // Two owners (lead and handler of O1) are told it is overdue, then the supervisor level 2 only: it is what is due now.
      expect([id, perTask.get(id)]).toEqual([id, ['overdue', 'overdue', 'escalated:2']]);
    }
    // The reminder and level 1 fired once all the same (claimed, on the trail, in due order) but say they were skipped; no webhook hears of them.
    const trails = await db.query(
      `SELECT task_id, array_agg(action || coalesce(':' || (data->>'skipped'), '') ORDER BY seq) AS actions
         FROM audit_entries WHERE task_id = ANY($1::uuid[]) GROUP BY task_id`,
      [ids],
    );
    expect(trails.rows).toHaveLength(40);
    for (const t of trails.rows as { task_id: string; actions: string[] }[]) {
      expect([t.task_id, t.actions]).toEqual([
        t.task_id,
        ['create', 'timer.reminder:superseded by overdue', 'timer.overdue', 'timer.escalation:superseded by level 2', 'timer.escalation'],
      ]);
    }
    const reminders = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE task_id = ANY($1::uuid[]) AND event = 'task.reminder'`, [ids]);
    expect(reminders.rows[0].n).toBe(0);
    const escalations = await db.query(
      `SELECT payload->>'level' AS level, count(*)::int AS n FROM outbox WHERE task_id = ANY($1::uuid[]) AND event = 'task.escalated' GROUP BY 1`,
      [ids],
    );
    expect(escalations.rows).toEqual([{ level: '2', n: 40 }]);
    for (const w of workers.splice(0)) await w.stop();
  }, 120_000);

  it('still sends the overdue notice when the queue store loses every job of the stack while timers wait (Redis keys or bullmq rows gone)', async () => {
    const worker = await startWorker();
    const id = await create('wipe-ticket', '清空Redis测试');
    await waitFor(
      async () => (await db.query(`SELECT 1 FROM timers WHERE task_id = $1 AND status = 'enqueued'`, [id])).rowCount === 4,
      'the pump to enqueue all four timers',
    );
    const deleted = await wipeQueueStore(testEnv);
    expect(deleted).toBeGreaterThan(0);
    await waitFor(
      async () => (await db.query(`SELECT 1 FROM timers WHERE task_id = $1 AND status = 'fired'`, [id])).rowCount === 4,
      'every timer to fire',
      30_000,
    );
    // Count once nothing is left to run: a job put back twice would have fired by then.
    await waitForDrained(testEnv);
    const byKind = Object.fromEntries((await notices([id])).map((r) => [r.kind, r.n]));
    // Two owners (lead and handler of O1), one supervisor: told of level 1 and level 2, or of level 2 alone when the
    // recovered jobs came back after it was due.
    expect(byKind).toEqual({ reminder: 2, overdue: 2, escalated: (await silentLevel1([id])).size === 1 ? 1 : 2 });
    await worker.stop();
    workers.splice(workers.indexOf(worker), 1);
  }, 60_000);

  it('puts back a lost job of timers due together (one job for many tasks) and each of its timers still fires once', async () => {
    // Twenty tasks due at the same instant, made before a worker runs: its pump finds their
    // overdue timers together and puts them in one job, as a burst's are.
    const dueAt = new Date(Date.now() + 12_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await request(api.url)
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: 'wipe-ticket', title: `同时到期${i}`, leadDepartmentIds: [org.dept.O1], dueAt })
        .expect(201);
      ids.push(res.body.id as string);
    }
    const worker = await startWorker();
    const overdueJobs = async () =>
      (await db.query(`SELECT DISTINCT job_id FROM timers WHERE task_id = ANY($1::uuid[]) AND kind = 'overdue' AND status = 'enqueued'`, [ids])).rows.map(
        (r: { job_id: string | null }) => r.job_id,
      );
    const jobs = await waitFor(async () => {
      const enqueued = await db.query(`SELECT 1 FROM timers WHERE task_id = ANY($1::uuid[]) AND kind = 'overdue' AND status = 'enqueued'`, [ids]);
      return enqueued.rowCount === 20 && overdueJobs();
    }, 'the pump to enqueue the twenty overdue timers');
    expect(jobs).toHaveLength(1);
    expect(await wipeQueueStore(testEnv)).toBeGreaterThan(0);
    await waitFor(
      async () => (await db.query(`SELECT 1 FROM timers WHERE task_id = ANY($1::uuid[]) AND kind = 'overdue' AND status = 'fired'`, [ids])).rowCount === 20,
      'every overdue timer to fire',
      30_000,
    );
    await waitForDrained(testEnv);
    // Lead and handler of O1, once each, for every task.
    const overdue = (await notices(ids)).filter((r) => r.kind === 'overdue');
    expect(overdue.map((r) => [r.task_id, r.n]).sort()).toEqual(ids.map((id) => [id, 2]).sort());
    await worker.stop();
    workers.splice(workers.indexOf(worker), 1);
  }, 90_000);

  it('gives each of 150 tasks due together exactly one of each notice although a worker is killed as they fire', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) ids.push(await create('burst-ticket', `批量${i}`));
    const [a] = [await startWorker(), await startWorker()];
    // Kill one worker as soon as firing has begun.
    await waitFor(
      async () => (await db.query(`SELECT 1 FROM timers WHERE task_id = ANY($1::uuid[]) AND status = 'fired' LIMIT 1`, [ids])).rowCount === 1,
      'firing to start',
      20_000,
    );
    expect(await a!.stop('SIGKILL')).toBeNull();
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM timers WHERE task_id = ANY($1::uuid[]) AND status = 'fired'`, [ids])).rows[0].n === 600,
      'all 600 timers to fire',
      45_000,
    );
    // Count once nothing is left to run: the killed worker's jobs, stalled, are retried by the other
    // one; a duplicate firing would have written its notices by then.
    await waitForDrained(testEnv, { timeoutMs: 30_000 });
    const rows = await notices(ids);
    const perTask = new Map<string, Record<string, number>>();
    for (const r of rows) perTask.set(r.task_id, { ...(perTask.get(r.task_id) ?? {}), [r.kind]: r.n });
    expect(perTask.size).toBe(150);
    // A reminder fires before its due date and reminds, or (its job held up by the killed worker past
    // that date) is superseded by the overdue notice: one or the other, decided by when it fired.
    const reminders = await db.query(
      `SELECT t.id, tm.fired_at >= t.due_at AS late FROM tasks t JOIN timers tm ON tm.task_id = t.id AND tm.kind = 'reminder' WHERE t.id = ANY($1::uuid[])`,
      [ids],
    );
    const late = new Set((reminders.rows as { id: string; late: boolean }[]).filter((r) => r.late).map((r) => r.id));
    // Level 1 likewise goes out on its own, or (held up past level 2's due time) stays silent behind level 2.
    const behind = await silentLevel1(ids);
    for (const id of ids) {
      expect([id, perTask.get(id)]).toEqual([id, { ...(late.has(id) ? {} : { reminder: 2 }), overdue: 2, escalated: behind.has(id) ? 1 : 2 }]);
    }
    const skipped = await db.query(`SELECT count(*)::int AS n FROM audit_entries WHERE task_id = ANY($1::uuid[]) AND data ? 'skipped'`, [ids]);
    expect(skipped.rows[0].n).toBe(late.size + behind.size);
    const levels = await db.query(`SELECT count(*)::int AS n FROM tasks WHERE id = ANY($1::uuid[]) AND escalation_level = 2 AND card = 'red'`, [ids]);
    expect(levels.rows[0].n).toBe(150);
    const audits = await db.query(`SELECT count(*)::int AS n FROM audit_entries WHERE task_id = ANY($1::uuid[]) AND action LIKE 'timer.%'`, [ids]);
    expect(audits.rows[0].n).toBe(600);
  }, 120_000);
});
