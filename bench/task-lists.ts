/**
 * The console's task lists and the supervisor's desk on 200,000 tasks over 50 departments (a
 * third closed, a few carded and escalated), through a built api: GET /tasks with the console's
 * filters (light, overdue, due range, ref, awaiting=me, urgency order) for an admin, a supervisor
 * of three departments and a lead, and GET /tasks/summary. Prints one JSON object.
 * Run: npm run build && node dist/bench/task-lists.js
 */
import { createDataSource } from '@duban/db';
import { hashPassword } from '@duban/org';
import { createTestEnv, disposeRun, freePort, runBuilt, type RunningApp, startBuilt } from '../test/support/test-env.js';

const TASKS = Number(process.env.BENCH_TASKS ?? 200_000);

async function timed(requests: number, send: () => Promise<Response>) {
  const latencies: number[] = [];
  let total = 0;
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const res = await send();
    const body = (await res.json()) as { total?: number };
    if (!res.ok) throw new Error(`unexpected status ${res.status}: ${JSON.stringify(body)}`);
    total = body.total ?? 0;
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2));
  return { requests, total, p50Ms: at(0.5), p95Ms: at(0.95) };
}

let api: RunningApp | undefined;
try {
  const env = await createTestEnv();
  // The calendar and the built-in workflows the views and awaiting=me read.
  const seeded = await runBuilt('apps/cli/src/seed-demo.js', { DATABASE_URL: env.databaseUrl, DEMO_PASSWORD: 'bench-password', DEMO_SCOPE: 'base' });
  if (seeded.code !== 0) throw new Error(`seed:demo: ${seeded.stderr}`);
  const ds = createDataSource({ url: env.databaseUrl, poolSize: 1 });
  await ds.initialize();
  await ds.query(`INSERT INTO departments (code, name, kind) SELECT 'd' || i, '部门' || i, 'office' FROM generate_series(1, 50) i`);
  await ds.query(`INSERT INTO departments (code, name, kind) VALUES ('sup', '督查室', 'office')`);
  await ds.query(`UPDATE departments SET supervisor_department_id = (SELECT id FROM departments WHERE code = 'sup') WHERE code IN ('d1', 'd2', 'd3')`);
  const password = await hashPassword('bench-password');
  await ds.query(
    `INSERT INTO users (username, display_name, roles, password_hash, department_id) VALUES
       ('admin-b', '管理员', '{admin}', $1, NULL),
       ('sup-b', '督查', '{supervisor}', $1, (SELECT id FROM departments WHERE code = 'sup')),
       ('lead-b', '负责人', '{lead}', $1, (SELECT id FROM departments WHERE code = 'd7'))`,
    [password],
  );
  await ds.query(`
    INSERT INTO tasks (ref, workflow_key, workflow_version, title, state, state_entered_at, due_at, created_at, updated_at, closed_at, card,
                       yellow_from, escalation_level, primary_department_id)
    SELECT 'DB-' || lpad(i::text, 8, '0'), 'hotline-ticket', 1, '工单' || i || '号 关于' || (ARRAY['路灯不亮', '井盖缺失', '噪音扰民', '供水中断'])[1 + i % 4],
           CASE WHEN i % 3 = 0 THEN 'closed' WHEN i % 11 = 0 THEN 'extension-requested' ELSE 'processing' END, now(),
           now() + ((i % 100) - 20) * interval '1 day', now() - (i % 5000) * interval '1 hour', now(),
           CASE WHEN i % 3 = 0 THEN now() END, CASE WHEN i % 97 = 0 THEN 'yellow' WHEN i % 211 = 0 THEN 'red' END,
           now() + ((i % 100) - 24) * interval '1 day', CASE WHEN i % 89 = 0 THEN 1 ELSE 0 END,
           (SELECT id FROM departments WHERE code = 'd' || (1 + i % 50))
      FROM generate_series(1, ${TASKS}) i`);
  await ds.query(`INSERT INTO task_owners (task_id, department_id, role, position) SELECT id, primary_department_id, 'lead', 0 FROM tasks`);
  await ds.query(`SELECT setval('task_ref_seq', ${TASKS})`);
  await ds.query('VACUUM ANALYZE');
  await ds.destroy();

  const port = await freePort();
  api = await startBuilt('apps/api/src/main.js', { ...env.env, PORT: String(port), LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '100000' }, port, '/api/v1/health');
  const url = api.url;
  const token = async (username: string) => {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'bench-password' }),
    });
    return { authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` };
  };
  const who = { admin: await token('admin-b'), supervisor: await token('sup-b'), lead: await token('lead-b') };
  const get = (path: string, auth: Record<string, string>) => () => fetch(`${url}/api/v1${path}`, { headers: auth });
  const n = 30;
  const result = {
    bench: 'task-lists',
    node: process.version,
    tasks: TASKS,
    admin: {
      redLights: await timed(n, get('/tasks?light=red&limit=50', who.admin)),
      yellowLights: await timed(n, get('/tasks?light=yellow&limit=50', who.admin)),
      overdueSoonestFirst: await timed(n, get('/tasks?overdue=true&sort=dueAt&limit=50', who.admin)),
      dueThisWeek: await timed(
        n,
        get(
          `/tasks?dueFrom=${new Date().toISOString().slice(0, 10)}&dueTo=${new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10)}&limit=50`,
          who.admin,
        ),
      ),
      escalated: await timed(n, get('/tasks?escalated=true&limit=50', who.admin)),
      refSearch: await timed(n, get('/tasks?q=DB-00012345', who.admin)),
      summary: await timed(n, get('/tasks/summary', who.admin)),
    },
    supervisor: {
      openMostUrgentFirst: await timed(n, get('/tasks?open=true&sort=urgency&limit=50', who.supervisor)),
      awaitingMe: await timed(n, get('/tasks?awaiting=me&limit=50', who.supervisor)),
      yellowLights: await timed(n, get('/tasks?light=yellow&open=true&limit=50', who.supervisor)),
      summary: await timed(n, get('/tasks/summary', who.supervisor)),
    },
    lead: {
      workMostUrgentFirst: await timed(n, get('/tasks?open=true&sort=urgency&limit=50', who.lead)),
      redLights: await timed(n, get('/tasks?light=red&limit=50', who.lead)),
      summary: await timed(n, get('/tasks/summary', who.lead)),
    },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await api?.stop();
  await disposeRun();
}
