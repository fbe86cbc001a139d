import pg from 'pg';
import { buildOrg, type Org } from './org-fixture.js';
import { createTestEnv, type RunningApp, startSeededApi, type TestEnv } from './test-env.js';

/** The demo password of the seeded admin, for tests that log in themselves. */
export const DEMO_PASSWORD = 'demo-password';

/** One e2e file's private stack: its database, a seeded api (DEMO_SCOPE base), the org fixture and a pg client. */
export interface Stack {
  testEnv: TestEnv;
  api: RunningApp;
  org: Org;
  db: pg.Client;
}

/** Starts a stack; `env` goes to the api process on top of the test environment's. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const testEnv = await createTestEnv({ seededWith: DEMO_PASSWORD });
  const api = await startSeededApi(testEnv, DEMO_PASSWORD, env);
  const org = await buildOrg(api.url, DEMO_PASSWORD);
  const db = new pg.Client({ connectionString: testEnv.databaseUrl });
  await db.connect();
  return { testEnv, api, org, db };
}

/** Stops what was started (parts that never started are skipped) and drops the database. */
export async function stopStack(stack: Partial<Stack>): Promise<void> {
  await stack.db?.end();
  await stack.api?.stop();
  await stack.testEnv?.dispose();
}
