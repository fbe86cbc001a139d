/**
 * Reports over years of history, as a bureau would have them:
 *  1. BENCH_RECORDS (1,000,000) historical hotline tickets over 2024–2025 across 50 departments,
 *     loaded through POST /tasks/import as streamed NDJSON (records/s);
 *  2. the month and year KPIs and the month bulletin (JSON and XLSX) — goals < 1 s and < 3 s;
 *  3. a department lead's inbox and task list — goal p95 < 20 ms;
 * with the EXPLAIN (ANALYZE) plans of the KPI and task-list queries. Prints one JSON object.
 * Run: npm run build && npm run bench:reports
 */
import { request as httpRequest } from 'node:http';
import { KPI_SQL } from '@duban/reports';
import { type TaskFilter, taskListQuery } from '@duban/tasks';
import { withHistoryBench } from './support/history-bench.js';
import { timed } from './support/timed.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const DEPARTMENTS = 50;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2024-01-01T00:00:00+08:00');
const SPAN = Date.parse('2026-01-01T00:00:00+08:00') - START;

/** A small deterministic generator: the same history on every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RATINGS = ['satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'unsatisfied'];

function record(i: number, departments: string[], rnd: () => number): string {
  // Office hours on weekdays mostly; the calendar decides what counts as working time.
  const createdAt = START + Math.floor(rnd() * SPAN);
  const dueAt = createdAt + 7 * DAY;
  const closed = createdAt < Date.parse('2025-12-20T00:00:00+08:00') || rnd() < 0.5;
  const closedAt = closed ? createdAt + Math.floor(rnd() * 9 * DAY) + HOUR : undefined;
  const r = rnd();
  const rec: Record<string, unknown> = {
    workflow: 'hotline-ticket',
    title: `历史工单${i}`,
    leadDepartmentIds: [departments[i % departments.length]],
    externalRef: `bench-${i}`,
    createdAt: new Date(createdAt).toISOString(),
    acceptedAt: new Date(createdAt + Math.floor(rnd() * 4 * HOUR)).toISOString(),
    dueAt: new Date(dueAt).toISOString(),
    state: closed ? 'closed' : 'processing',
    priority: r < 0.05 ? 'urgent' : 'normal',
  };
  if (closedAt) {
    rec.closedAt = new Date(closedAt).toISOString();
    if (rnd() < 0.9) rec.rating = RATINGS[Math.floor(rnd() * RATINGS.length)];
    if (closedAt > dueAt) rec.cards = [{ color: 'yellow', at: new Date(dueAt).toISOString() }];
  }
  if (r > 0.97) rec.extensions = 1;
  if (r < 0.02) rec.returned = 1;
  return JSON.stringify(rec);
}

interface ImportResult {
  imported: number;
  rejected: unknown[];
  skipped: number;
}

/** Streams the NDJSON body as it is generated: the bench never holds the million records either. */
function importAll(url: string, token: string, departments: string[]): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/v1/tasks/import`,
      { method: 'POST', headers: { authorization: token, 'content-type': 'application/x-ndjson' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as ImportResult) : reject(new Error(`import: ${res.statusCode} ${body}`))));
      },
    );
    req.on('error', reject);
    const rnd = random(42);
    let i = 0;
    const pump = () => {
      while (i < RECORDS) {
        let chunk = '';
        for (let n = 0; n < 1000 && i < RECORDS; n++, i++) chunk += `${record(i, departments, rnd)}\n`;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

await withHistoryBench(DEPARTMENTS, async ({ ds, departments, startApi, login, addUser }) => {
  await addUser('lead1', '科长', ['lead'], departments[0]!);
  const url = await startApi();
  const admin = await login('admin');

  const t0 = performance.now();
  const result = await importAll(url, admin, departments);
  const importSeconds = (performance.now() - t0) / 1000;
  // The lead's inbox: a year of notices, as a busy department gets them.
  await ds.query(
    `INSERT INTO notifications (user_id, kind, task_id, title, body, data, source)
     SELECT (SELECT id FROM users WHERE username = 'lead1'), 'reminder', t.id, '【催办】' || t.title, '请抓紧办理', '{}', 'bench:' || t.id
       FROM tasks t WHERE t.primary_department_id = $1 LIMIT 5000`,
    [departments[0]],
  );
  // What autovacuum does after a bulk load; index-only scans need the visibility map it writes.
  await ds.query('VACUUM ANALYZE');

  const get =
    (path: string, token = admin) =>
    () =>
      fetch(`${url}/api/v1${path}`, { headers: { authorization: token } });
  const month = 'from=2025-06-01T00:00:00%2B08:00&to=2025-07-01T00:00:00%2B08:00';
  const year = 'from=2025-01-01T00:00:00%2B08:00&to=2026-01-01T00:00:00%2B08:00';
  const lead = await login('lead1');
  const kpis = {
    month: await timed(5, get(`/reports/kpis?${month}`)),
    year: await timed(3, get(`/reports/kpis?${year}`)),
    monthOneDepartment: await timed(5, get(`/reports/kpis?${month}&departmentId=${departments[0]}`)),
    bulletinMonthJson: await timed(3, get(`/reports/bulletin?${month}`)),
    bulletinMonthXlsx: await timed(3, get(`/reports/bulletin?${month}&format=xlsx`)),
    bulletinYearXlsx: await timed(3, get(`/reports/bulletin?${year}&format=xlsx`)),
  };
  const lists = {
    leadInbox: await timed(100, get('/me/notifications?limit=20', lead)),
    leadUnreadInbox: await timed(100, get('/me/notifications?unread=true&limit=20', lead)),
    leadTaskList: await timed(100, get('/tasks?limit=20', lead)),
    leadOpenTasks: await timed(100, get('/tasks?state=processing&limit=20', lead)),
    leadOverdueTasks: await timed(100, get('/tasks?overdue=true&limit=20', lead)),
  };
  const explain = async (sql: string, params: unknown[]) =>
    ((await ds.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${sql}`, params)) as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']);
  const listPlan = async (filter: TaskFilter) => {
    const query = taskListQuery({ all: false, ownDepartment: departments[0]!, supervised: [] }, filter, 1, 20);
    return { total: await explain(query.count, query.params), page: await explain(query.page, query.pageParams) };
  };
  const plans = {
    kpisMonth: await explain(KPI_SQL, ['2025-06-01T00:00:00+08:00', '2025-07-01T00:00:00+08:00', null, null, null]),
    kpisYear: await explain(KPI_SQL, ['2025-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00', null, null, null]),
    leadTaskList: await listPlan({}),
    leadOpenTasks: await listPlan({ state: 'processing' }),
  };
  const [{ tasks }] = await ds.query<{ tasks: number }[]>(`SELECT count(*)::int AS tasks FROM tasks`);
  console.log(
    JSON.stringify(
      {
        bench: 'reports',
        node: process.version,
        import: {
          records: RECORDS,
          imported: result.imported,
          rejected: result.rejected.length,
          seconds: Number(importSeconds.toFixed(1)),
          recordsPerSec: Math.round(RECORDS / importSeconds),
        },
        tasksInDatabase: tasks,
        departments: DEPARTMENTS,
        kpis,
        lists,
        goals: { kpisMonthMs: '< 1000', kpisYearMs: '< 3000', leadListsP95Ms: '< 20' },
        plans,
      },
      null,
      2,
    ),
  );
});
