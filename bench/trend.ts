/**
 * GET /reports/trend over two years of history, as a bureau would have it: BENCH_TASKS
 * (1,000,000) tasks across 50 departments, created over the 24 months before now, most closed
 * (90 % rated), some still open and overdue. Written straight into the database (the trend reads
 * tasks only; bench:reports measures the import). Times the trend for an admin (every
 * department), one department and a supervisor of ten, with the EXPLAIN (ANALYZE) plan of its one
 * statement. Goal: < 500 ms for twelve months over all departments. Prints one JSON object.
 * Run: npm run build && npm run bench:trend
 */
import { TREND_SQL, trendMonths, trendParams } from '@duban/reports';
import { withHistoryBench } from './support/history-bench.js';
import { timed } from './support/timed.js';

const TASKS = Number(process.env.BENCH_TASKS ?? 1_000_000);
const DEPARTMENTS = 50;

await withHistoryBench(DEPARTMENTS, async ({ ds, departments, startApi, login, addUser }) => {
  // The first ten departments are supervised by the supervisor's own (the first).
  await ds.query(`UPDATE departments SET supervisor_department_id = $1 WHERE id = ANY($2::uuid[])`, [departments[0], departments.slice(0, 10)]);
  await addUser('sup1', '督查员', ['supervisor'], departments[0]!);

  // A deterministic history: task i created at an even spread over the 24 months before now, due
  // 7 days on, closed within 0–9 days (so some late); of those created in the last 30 days 40 %
  // are still open, of the older ones 1 % (long overdue, counted in every month's overdueOpen since).
  const t0 = performance.now();
  await ds.query(
    `INSERT INTO tasks (ref, workflow_key, workflow_version, title, state, state_entered_at, created_at, due_at, closed_at, rating, primary_department_id)
     SELECT 'BT-' || i, 'hotline-ticket', 1, '历史工单' || i, CASE WHEN closed THEN 'closed' ELSE 'processing' END, created, created, created + interval '7 days',
            CASE WHEN closed THEN created + (hashint % 216) * interval '1 hour' END,
            CASE WHEN closed AND hashint % 10 <> 0 THEN (ARRAY['satisfied', 'satisfied', 'basically_satisfied', 'unsatisfied'])[1 + hashint % 4] END,
            ($1::uuid[])[1 + i % $2]
       FROM (SELECT i, now() - interval '730 days' + (i::double precision / $3) * interval '730 days' AS created,
                    abs(hashtext(i::text)) AS hashint,
                    abs(hashtext(i::text)) % 100 >= CASE WHEN i::double precision / $3 > 1 - 30.0 / 730 THEN 40 ELSE 1 END AS closed
               FROM generate_series(1, $3) i) s
      WHERE created < now()`,
    [departments, DEPARTMENTS, TASKS],
  );
  const loadSeconds = (performance.now() - t0) / 1000;
  await ds.query('VACUUM ANALYZE tasks');

  const url = await startApi();
  const admin = await login('admin');
  const supervisor = await login('sup1');
  const get = (path: string, token: string) => () => fetch(`${url}/api/v1${path}`, { headers: { authorization: token } });
  const trend = {
    twelveMonthsAll: await timed(10, get('/reports/trend', admin)),
    twelveMonthsOneDepartment: await timed(10, get(`/reports/trend?departmentId=${departments[3]}`, admin)),
    twelveMonthsSupervisorOfTen: await timed(10, get('/reports/trend', supervisor)),
    thirtySixMonthsAll: await timed(5, get('/reports/trend?months=36', admin)),
  };
  const months = trendMonths(new Date(), 12, 'Asia/Shanghai');
  const plan = (
    (await ds.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${TREND_SQL}`, trendParams(months, null, null, null))) as {
      'QUERY PLAN': string;
    }[]
  ).map((r) => r['QUERY PLAN']);
  const [{ tasks, open }] = await ds.query<{ tasks: number; open: number }[]>(
    `SELECT count(*)::int AS tasks, count(*) FILTER (WHERE closed_at IS NULL)::int AS open FROM tasks`,
  );
  console.log(
    JSON.stringify(
      {
        bench: 'trend',
        node: process.version,
        load: { tasks, open, departments: DEPARTMENTS, seconds: Number(loadSeconds.toFixed(1)) },
        trend,
        goals: { twelveMonthsAllMs: '< 500' },
        plan,
      },
      null,
      2,
    ),
  );
});
