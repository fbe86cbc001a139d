import { createDataSource } from '@duban/db';
import { hashPassword } from '@duban/org';
import type { DataSource } from 'typeorm';
import { createTestEnv, disposeRun, freePort, runBuilt, type RunningApp, startBuilt } from '../../test/support/test-env.js';

/** Every account the history benches create logs in with this password. */
const PASSWORD = 'bench-password';

export interface HistoryBench {
  /** One connection to the bench's own database, for bulk loads and EXPLAIN. */
  ds: DataSource;
  /** The ids of `departments` offices named 单位1…单位N, in that order. */
  departments: string[];
  /** Starts the built api on a free port (LOGIN_RATE_LIMIT lifted) and answers its base URL. */
  startApi: () => Promise<string>;
  /** A bearer token of `username` (the seeded `admin`, or one made by `addUser`). */
  login: (username: string) => Promise<string>;
  /** Adds a user with these roles in `departmentId`. */
  addUser: (username: string, displayName: string, roles: string[], departmentId: string) => Promise<void>;
}

/**
 * The set-up the history benches (bench:reports, bench:trend) share: a fresh database from
 * createTestEnv, the demo's base seed (workflows, calendar `cn`, `admin`), `departments` offices,
 * and the built api once the history is loaded. Runs `body` and always stops the api and drops
 * what the run created, also when `body` throws.
 */
export async function withHistoryBench(departmentCount: number, body: (bench: HistoryBench) => Promise<void>): Promise<void> {
  let api: RunningApp | undefined;
  try {
    const env = await createTestEnv();
    const ds = createDataSource({ url: env.databaseUrl, poolSize: 1 });
    await ds.initialize();
    const seeded = await runBuilt('apps/cli/src/seed-demo.js', { DATABASE_URL: env.databaseUrl, DEMO_PASSWORD: PASSWORD, DEMO_SCOPE: 'base' });
    if (seeded.code !== 0) throw new Error('seed failed');
    const departments = (
      await ds.query<{ id: string }[]>(
        `INSERT INTO departments (code, name, kind) SELECT 'd' || i, '单位' || i, 'office' FROM generate_series(1, $1) i RETURNING id`,
        [departmentCount],
      )
    ).map((r) => r.id);
    const hash = await hashPassword(PASSWORD);
    const bench: HistoryBench = {
      ds,
      departments,
      startApi: async () => {
        const port = await freePort();
        api = await startBuilt(
          'apps/api/src/main.js',
          { ...env.env, PORT: String(port), LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '100000' },
          port,
          '/api/v1/health',
        );
        return api.url;
      },
      login: async (username) => {
        if (!api) throw new Error('login before startApi');
        const res = await fetch(`${api.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: PASSWORD }),
        });
        if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
        return `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`;
      },
      addUser: async (username, displayName, roles, departmentId) => {
        await ds.query(`INSERT INTO users (username, display_name, roles, department_id, password_hash) VALUES ($1, $2, $3, $4, $5)`, [
          username,
          displayName,
          roles,
          departmentId,
          hash,
        ]);
      },
    };
    await body(bench);
    await ds.destroy();
  } finally {
    await api?.stop();
    await disposeRun();
  }
}
