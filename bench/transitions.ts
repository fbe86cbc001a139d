/**
 * Transition throughput: C concurrent clients send real HTTP actions (plan-item "report", a
 * progress report: lock, decide, update, audit, timers, outbox) to a built api process; then
 * the same-shaped raw SQL transaction (row lock, update, audit insert with hash, outbox insert)
 * runs through pg directly, for the ratio. Prints one JSON object.
 * Run: npm run build && npm run bench:transitions  (BENCH_TASKS, BENCH_CLIENTS, BENCH_ACTIONS)
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { buildOrg } from '../test/support/org-fixture.js';
import { createTestEnv, disposeRun, freePort, type RunningApp, runBuilt, startBuilt } from '../test/support/test-env.js';

const TASKS = Number(process.env.BENCH_TASKS ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 6000);

interface Run {
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  failures: number;
}

async function drive(clients: number, total: number, op: (i: number) => Promise<boolean>): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        if (!(await op(i))) failures++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2));
  return {
    ops: total,
    seconds: Number(seconds.toFixed(2)),
    opsPerSec: Math.round(total / seconds),
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    failures,
  };
}

let api: RunningApp | undefined;
const pool = new pg.Pool({ max: 10 });
try {
  const env = await createTestEnv();
  Object.assign(pool.options, { connectionString: env.databaseUrl });
  if ((await runBuilt('apps/cli/src/seed-demo.js', { DATABASE_URL: env.databaseUrl, DEMO_PASSWORD: 'bench-password', DEMO_SCOPE: 'base' })).code !== 0)
    throw new Error('seed failed');
  const port = await freePort();
  api = await startBuilt('apps/api/src/main.js', { ...env.env, PORT: String(port), LOG_LEVEL: 'warn' }, port, '/api/v1/health');
  const url = api.url;
  const org = await buildOrg(url, 'bench-password');
  const call = (path: string, token: string, body: object) =>
    fetch(`${url}/api/v1${path}`, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const ids: string[] = [];
  for (let i = 0; i < TASKS; i++) {
    const res = await call('/tasks', org.token.admin, {
      workflow: 'plan-item',
      title: `压测任务${i}`,
      leadDepartmentIds: [org.dept.O1],
      dueAt: '2099-12-31T17:30:00+08:00',
    });
    const task = (await res.json()) as { id: string };
    await call(`/tasks/${task.id}/actions`, org.token.lead, { action: 'accept' });
    ids.push(task.id);
  }

  const http = await drive(CLIENTS, ACTIONS, async (i) => {
    const res = await call(`/tasks/${ids[i % ids.length]}/actions`, org.token.lead, { action: 'report', progress: i % 101 });
    await res.arrayBuffer();
    return res.status === 200;
  });

  // The same transaction without the framework: what PostgreSQL alone allows on this machine.
  const raw = await drive(CLIENTS, ACTIONS, async (i) => {
    const id = ids[i % ids.length]!;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT id, state, version FROM tasks WHERE id = $1 FOR UPDATE', [id]);
      await client.query('UPDATE tasks SET progress = $2, version = version + 1, updated_at = now() WHERE id = $1', [id, i % 101]);
      const last = await client.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_entries WHERE task_id = $1 ORDER BY seq DESC LIMIT 1', [id]);
      const seq = (last.rows[0]?.seq ?? 0) + 1;
      const data = JSON.stringify({ progress: i % 101 });
      const hash = createHash('sha256')
        .update(last.rows[0]?.hash ?? '')
        .update(`${id}${seq}${data}`)
        .digest('hex');
      await client.query(
        `INSERT INTO audit_entries (task_id, seq, at, actor_role, action, from_state, to_state, data, prev_hash, hash)
         VALUES ($1, $2, now(), 'owner', 'report', 'in-progress', 'in-progress', $3, $4, $5)`,
        [id, seq, data, last.rows[0]?.hash ?? '', hash],
      );
      await client.query(`INSERT INTO outbox (event, task_id, payload) VALUES ('task.transitioned', $1, $2)`, [id, data]);
      await client.query('COMMIT');
      return true;
    } catch {
      await client.query('ROLLBACK');
      return false;
    } finally {
      client.release();
    }
  });

  console.log(
    JSON.stringify(
      {
        bench: 'transitions',
        node: process.version,
        tasks: TASKS,
        clients: CLIENTS,
        http,
        raw,
        ratio: Number((http.opsPerSec / raw.opsPerSec).toFixed(2)),
        goal: { actionsPerSec: 1000, p99Ms: 100, ratio: 0.3 },
      },
      null,
      2,
    ),
  );
} finally {
  await api?.stop();
  await pool.end();
  await disposeRun();
}
