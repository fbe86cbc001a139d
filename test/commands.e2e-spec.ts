import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestEnv, freePort, runBuilt, startBuilt, type TestEnv } from './support/test-env.js';

describe('commands as npm runs them', () => {
  let empty: TestEnv;

  beforeAll(async () => {
    empty = await createTestEnv({ migrated: false });
  });

  afterAll(async () => {
    await empty?.dispose();
  });

  it('api stops with a non-zero code naming JWT_SECRET when it is missing', async () => {
    const { JWT_SECRET: _omitted, ...env } = empty.env;
    const result = await runBuilt('apps/api/src/main.js', { ...env, PORT: String(await freePort()) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('JWT_SECRET is required');
  });

  it('api names a malformed variable', async () => {
    const result = await runBuilt('apps/api/src/main.js', { ...empty.env, PORT: 'eighty', REDIS_URL: 'localhost:6379' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('PORT must be a port number');
    expect(result.stderr).toContain('REDIS_URL must be a redis:// or rediss:// URL');
  });

  it('migrate needs only DATABASE_URL, applies the migrations, and is a no-op the second time', async () => {
    const first = await runBuilt('apps/cli/src/migrate.js', { DATABASE_URL: empty.databaseUrl });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migration/);
    const second = await runBuilt('apps/cli/src/migrate.js', { DATABASE_URL: empty.databaseUrl });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('no pending migrations');
  });

  it('seed:demo twice leaves exactly one admin, who logs in with the latest DEMO_PASSWORD', async () => {
    const env = { DATABASE_URL: empty.databaseUrl, DEMO_PASSWORD: 'demo-password-1', DEMO_SCOPE: 'base' };
    expect((await runBuilt('apps/cli/src/seed-demo.js', env)).code).toBe(0);
    const second = await runBuilt('apps/cli/src/seed-demo.js', env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 user(s) created');
    const client = new pg.Client({ connectionString: empty.databaseUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT roles FROM users WHERE lower(username) = 'admin'`);
    await client.end();
    expect(rows).toEqual([{ roles: ['admin'] }]);
    // Seeded earlier under another DEMO_PASSWORD: the new one must be the one that works.
    const reseeded = await runBuilt('apps/cli/src/seed-demo.js', { ...env, DEMO_PASSWORD: 'demo-password-2' });
    expect(reseeded.stdout).toContain('1 given DEMO_PASSWORD');

    const port = await freePort();
    const api = await startBuilt('apps/api/src/main.js', { ...empty.env, PORT: String(port) }, port, '/api/v1/health');
    try {
      const login = (password: string) =>
        fetch(`${api.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        });
      expect((await login('demo-password-2')).status).toBe(200);
      expect((await login('demo-password-1')).status).toBe(401);
    } finally {
      await api.stop();
    }
  });

  it('seed:demo without DEMO_PASSWORD stops naming it', async () => {
    const result = await runBuilt('apps/cli/src/seed-demo.js', { DATABASE_URL: empty.databaseUrl });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DEMO_PASSWORD is required');
  });

  it('the worker answers /health and /metrics on WORKER_PORT and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const worker = await startBuilt('apps/worker/src/main.js', { ...empty.env, WORKER_PORT: String(port) }, port, '/health');
    const health = await fetch(`${worker.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
    const metrics = await fetch(`${worker.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(await worker.stop('SIGTERM')).toBe(0);
  });
});
