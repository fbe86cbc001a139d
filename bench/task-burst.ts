/**
 * Bursts of concurrent task creations (POST /tasks) against a built api process: for each burst
 * size, the answers by status, the client's latencies and how long the api's checkouts waited
 * for a PostgreSQL connection (duban_db_pool_wait_seconds, read from its /metrics before and
 * after). A burst should wait for connections, never fail. Prints one JSON object.
 * Run: npm run build && npm run bench:burst  (BENCH_BURSTS=25,50,100; DB_POOL_SIZE, DB_POOL_WAIT_MS go to the api)
 */
import { buildOrg } from '../test/support/org-fixture.js';
import { createTestEnv, disposeRun, freePort, type RunningApp, runBuilt, startBuilt } from '../test/support/test-env.js';

const BURSTS = (process.env.BENCH_BURSTS ?? '25,50,100').split(',').map(Number);
const API_ENV = Object.fromEntries(['DB_POOL_SIZE', 'DB_POOL_WAIT_MS'].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));

/** The pool-wait histogram's cumulative bucket counts (upper bound in seconds → count) and its sum. */
type Histogram = { buckets: Map<number, number>; sum: number; count: number };

async function poolWaits(url: string): Promise<Histogram> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const m of text.matchAll(/^duban_db_pool_wait_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm))
    buckets.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  const value = (name: string) => Number(new RegExp(`^duban_db_pool_wait_seconds_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { buckets, sum: value('sum'), count: value('count') };
}

/** What the waits between two readings were: how many, their mean, and the bucket bounds under which 50 %, 95 % and all fell. */
function waitsBetween(before: Histogram, after: Histogram) {
  const count = after.count - before.count;
  const bound = (q: number) => {
    for (const [le, n] of after.buckets) if (n - (before.buckets.get(le) ?? 0) >= q * count) return le === Infinity ? null : le * 1000;
    return null;
  };
  return {
    checkouts: count,
    meanMs: count ? Number((((after.sum - before.sum) / count) * 1000).toFixed(2)) : 0,
    p50AtMostMs: bound(0.5),
    p95AtMostMs: bound(0.95),
    maxAtMostMs: bound(1),
  };
}

let api: RunningApp | undefined;
try {
  const env = await createTestEnv();
  if ((await runBuilt('apps/cli/src/seed-demo.js', { DATABASE_URL: env.databaseUrl, DEMO_PASSWORD: 'bench-password', DEMO_SCOPE: 'base' })).code !== 0)
    throw new Error('seed failed');
  const port = await freePort();
  api = await startBuilt('apps/api/src/main.js', { ...env.env, ...API_ENV, PORT: String(port), LOG_LEVEL: 'warn' }, port, '/api/v1/health');
  const url = api.url;
  const org = await buildOrg(url, 'bench-password');
  const bursts = [];
  for (const size of BURSTS) {
    const before = await poolWaits(url);
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: size }, async (_, i) => {
        const t0 = performance.now();
        const res = await fetch(`${url}/api/v1/tasks`, {
          method: 'POST',
          headers: { authorization: org.token.admin, 'content-type': 'application/json' },
          body: JSON.stringify({ workflow: 'hotline-ticket', title: `并发工单${size}-${i}`, leadDepartmentIds: [org.dept.O1] }),
        });
        await res.arrayBuffer();
        return { status: res.status, ms: performance.now() - t0 };
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const statuses: Record<string, number> = {};
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    const at = (q: number) => Number(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(1));
    bursts.push({
      concurrent: size,
      statuses,
      seconds: Number(seconds.toFixed(2)),
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      maxMs: at(1),
      poolWait: waitsBetween(before, await poolWaits(url)),
    });
  }
  console.log(JSON.stringify({ bench: 'task-burst', node: process.version, api: API_ENV, bursts }, null, 2));
} finally {
  await api?.stop();
  await disposeRun();
}
