import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('migrate needs only DATABASE_URL, applies the migrations and the queue schema, and is a no-op the second time', async () => {
    const first = await runBuilt('apps/cli/src/migrate.js', { DATABASE_URL: empty.databaseUrl });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migration/);
    // BullMQ's own schema for QUEUE_BACKEND=postgres, made by BullMQ's migrator.
    expect(first.stdout).toMatch(/queue schema "bullmq" at BullMQ version [1-9]\d*/);
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

  it('import stops at an NDJSON line longer than any record (2 MiB), naming it, with the records before it in', async () => {
    const client = new pg.Client({ connectionString: empty.databaseUrl });
    await client.connect();
    const dir = await mkdtemp(join(tmpdir(), 'duban-import-'));
    try {
      const [{ id }] = (await client.query<{ id: string }>(`INSERT INTO departments (code, name, kind) VALUES ('cli', '导入科', 'office') RETURNING id`)).rows;
      const record = (i: number) =>
        JSON.stringify({
          workflow: 'hotline-ticket',
          title: `命令行导入 ${i}`,
          leadDepartmentIds: [id],
          createdAt: '2024-01-02T01:00:00Z',
          dueAt: '2024-01-09T09:00:00Z',
          closedAt: '2024-01-04T01:00:00Z',
          state: 'closed',
        });
      const file = join(dir, 'tasks.ndjson');
      await writeFile(file, `${record(1)}\n${record(2)}\n"${'x'.repeat(2 * 1_048_576)}"\n${record(3)}\n`);
      const run = await runBuilt('apps/cli/src/import.js', { DATABASE_URL: empty.databaseUrl }, 60_000, [file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('第 3 行（记录 2）超过 1048576 字节的上限');
      const { rows } = await client.query<{ title: string }>(`SELECT title FROM tasks WHERE starts_with(title, '命令行导入') ORDER BY title`);
      expect(rows.map((r) => r.title)).toEqual(['命令行导入 1', '命令行导入 2']);
    } finally {
      await client.end();
      await rm(dir, { recursive: true, force: true });
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
