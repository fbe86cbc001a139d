import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestEnv, freePort, PrivateRedis, type RunningApp, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

describe('health follows Redis going away and coming back, without a restart', () => {
  let testEnv: TestEnv;
  let redis: PrivateRedis;
  let api: RunningApp;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    const port = await freePort();
    api = await startBuilt('apps/api/src/main.js', { ...testEnv.env, REDIS_URL: redis.url, PORT: String(port) }, port, '/api/v1/health');
  });

  afterAll(async () => {
    await api?.stop();
    await redis?.stop();
    await testEnv?.dispose();
  });

  const health = async () => {
    const res = await fetch(`${api.url}/api/v1/health`);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
  };

  it('is 200 while Redis is up', async () => {
    expect((await health()).status).toBe(200);
  });

  it('turns 503 problem+json naming redis when Redis stops', async () => {
    await redis.stop();
    const down = await waitFor(async () => {
      const h = await health();
      return h.status === 503 && h;
    }, 'health to report 503');
    expect(down.type).toMatch(/^application\/problem\+json/);
    expect(down.body).toMatchObject({ status: 503, error: { redis: { status: 'down' } }, info: { database: { status: 'up' } } });
  });

  it('is 200 again once Redis is back on the same address', async () => {
    await redis.start();
    const up = await waitFor(async () => {
      const h = await health();
      return h.status === 200 && h;
    }, 'health to recover');
    expect(up.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
  });
});
