/**
 * Latency of the api's hot request paths as users meet them: a built api process on its own
 * database and Redis prefix, driven over loopback with bounded request counts.
 * Prints one JSON object. Run: npm run build && npm run bench:api
 */
import { createDataSource } from '@duban/db';
import { hashPassword } from '@duban/org';
import { createTestEnv, disposeRun, freePort, type RunningApp, startBuilt } from '../test/support/test-env.js';

interface Stats {
  requests: number;
  concurrency: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

async function measure(requests: number, concurrency: number, send: () => Promise<Response>): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const t0 = performance.now();
        const res = await send();
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`unexpected status ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2));
  return { requests, concurrency, rps: Math.round(requests / elapsed), p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99) };
}

let api: RunningApp | undefined;
try {
  const env = await createTestEnv();
  const ds = createDataSource({ url: env.databaseUrl, poolSize: 1 });
  await ds.initialize();
  await ds.query(`INSERT INTO users (username, display_name, roles, password_hash) VALUES ('bench', '压测', '{lead}', $1)`, [
    await hashPassword('bench-password'),
  ]);
  await ds.destroy();

  const port = await freePort();
  api = await startBuilt('apps/api/src/main.js', { ...env.env, PORT: String(port), LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '100000' }, port, '/api/v1/health');
  const url = api.url;
  const login = () =>
    fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password' }),
    });
  const { accessToken } = (await (await login()).json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${accessToken}` };
  const result = {
    bench: 'api-latency',
    node: process.version,
    me: await measure(2000, 8, () => fetch(`${url}/api/v1/me`, { headers: auth })),
    health: await measure(1000, 4, () => fetch(`${url}/api/v1/health`)),
    login: await measure(60, 2, login),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await api?.stop();
  await disposeRun();
}
