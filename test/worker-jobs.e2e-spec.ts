import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
});
