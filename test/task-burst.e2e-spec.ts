import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type Stack, startStack, stopStack } from './support/stack.js';

/** The api's pool-wait histogram: checkouts in all, and those served within 1 ms. */
async function poolWaits(apiUrl: string): Promise<{ count: number; withinOneMs: number }> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  return {
    count: Number(/^duban_db_pool_wait_seconds_count (\d+)$/m.exec(text)?.[1]),
    withinOneMs: Number(/^duban_db_pool_wait_seconds_bucket\{le="0.001"\} (\d+)$/m.exec(text)?.[1]),
  };
}

describe('a burst of creations waits for the database, it does not fail', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Two connections for 25 requests: most of them must wait for one.
    stack = await startStack({ DB_POOL_SIZE: '2' });
  });

  afterAll(() => stopStack(stack ?? {}));

  it('answers 25 concurrent POST /tasks with 25 × 201, the requests waiting their turn for a connection', async () => {
    const { api, org, db } = stack;
    const before = await poolWaits(api.url);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        request(api.url)
          .post('/api/v1/tasks')
          .set('Authorization', org.token.admin)
          .send({ workflow: 'hotline-ticket', title: `并发创建${i}`, leadDepartmentIds: [org.dept.O1] }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(201));
    expect((await db.query(`SELECT count(*)::int AS n FROM tasks WHERE title LIKE '并发创建%'`)).rows[0].n).toBe(25);
    const after = await poolWaits(api.url);
    expect(after.count - before.count).toBeGreaterThanOrEqual(25);
    // Some checkouts waited for a connection (and were served), which is what the pool's wait bound is for.
    expect(after.count - before.count - (after.withinOneMs - before.withinOneMs)).toBeGreaterThan(0);
  });
});
