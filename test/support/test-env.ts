import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createDataSource } from '@duban/db';
import { migrateQueueSchema, QueueStore } from '@duban/queues';

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Where the suites' stacks keep their queues: QUEUE_BACKEND of the test run (redis unless
 * set). On postgres the queues live in the schema `bullmq` of each suite's own database.
 */
export const QUEUE_BACKEND: 'redis' | 'postgres' = process.env.QUEUE_BACKEND === 'postgres' ? 'postgres' : 'redis';
const RUN = process.env.DUBAN_TEST_RUN ?? `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const TEMPLATE = `duban_${RUN}_template`;

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Migrates a template database once per run; every suite copies it, which takes milliseconds. */
async function ensureTemplate(): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [TEMPLATE]);
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (rowCount) return;
      await admin.query(`CREATE DATABASE "${TEMPLATE}"`);
      const ds = createDataSource({ url: databaseUrl(TEMPLATE), poolSize: 1 });
      await ds.initialize();
      await ds.runMigrations({ transaction: 'each' });
      await ds.destroy();
      // What `npm run migrate` makes besides: BullMQ's schema, for QUEUE_BACKEND=postgres.
      await migrateQueueSchema(databaseUrl(TEMPLATE));
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [TEMPLATE]);
    }
  });
}

export interface TestEnv {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  queueBackend: 'redis' | 'postgres';
  /** Environment for a Duban process of this suite. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/**
 * A database and a Redis key prefix of this suite's own; `dispose` drops both.
 * `migrated: false` gives an empty database (for testing `migrate` itself).
 */
export async function createTestEnv(options: { migrated?: boolean } = {}): Promise<TestEnv> {
  const id = `duban_${RUN}_${randomBytes(4).toString('hex')}`;
  if (options.migrated !== false) await ensureTemplate();
  await withAdmin((admin) => admin.query(options.migrated === false ? `CREATE DATABASE "${id}"` : `CREATE DATABASE "${id}" TEMPLATE "${TEMPLATE}"`));
  const env = {
    DATABASE_URL: databaseUrl(id),
    REDIS_URL,
    QUEUE_PREFIX: id,
    QUEUE_BACKEND,
    JWT_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'silent',
  };
  return {
    databaseUrl: env.DATABASE_URL,
    redisUrl: REDIS_URL,
    queuePrefix: id,
    queueBackend: QUEUE_BACKEND,
    env,
    async dispose() {
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${id}" WITH (FORCE)`));
      await deleteKeys(REDIS_URL, `${id}*`);
    },
  };
}

/**
 * The queues of a suite's stack as its processes see them (same backend, prefix and database),
 * for a test that counts, adds or inspects jobs; close it when done.
 */
export function stackQueues(testEnv: Pick<TestEnv, 'databaseUrl' | 'redisUrl' | 'queuePrefix' | 'queueBackend'>): QueueStore {
  return new QueueStore({ backend: testEnv.queueBackend, redisUrl: testEnv.redisUrl, prefix: testEnv.queuePrefix, databaseUrl: testEnv.databaseUrl, poolSize: 2 });
}

/**
 * The stack's queues lose everything they held (jobs, job schedulers, paused flags), as Redis
 * restarted without persistence does: on Redis the keys under its prefix are deleted (or all of
 * a private server's, `redisUrl`), on PostgreSQL the tables of the schema bullmq are emptied.
 * Returns how many keys or job rows went.
 */
export async function wipeQueueStore(testEnv: Pick<TestEnv, 'databaseUrl' | 'redisUrl' | 'queuePrefix' | 'queueBackend'>): Promise<number> {
  if (testEnv.queueBackend === 'redis') return deleteKeys(testEnv.redisUrl, `${testEnv.queuePrefix}*`);
  const client = new pg.Client({ connectionString: testEnv.databaseUrl });
  await client.connect();
  try {
    const jobs = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bullmq.job')).rows[0]!.n;
    const { rows } = await client.query<{ t: string }>(`SELECT format('bullmq.%I', tablename) AS t FROM pg_tables WHERE schemaname = 'bullmq' AND tablename <> 'migration'`);
    await client.query(`TRUNCATE ${rows.map((r) => r.t).join(', ')}`);
    return jobs;
  } finally {
    await client.end();
  }
}

/**
 * Drops every database of this run, the template included. The Jest global teardown does this
 * for test runs; a script that makes its own environments (a benchmark) calls it when done.
 */
export async function disposeRun(): Promise<void> {
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [`duban_${RUN}_`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
  await deleteKeys(REDIS_URL, `duban_${RUN}_*`);
}

/** Deletes the keys matching `pattern`; returns how many. */
async function deleteKeys(url: string, pattern: string): Promise<number> {
  const redis = new Redis(url);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** Polls until `probe` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : lastError ? `: ${JSON.stringify(lastError)}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A private redis-server this suite may stop and start at will. */
export class PrivateRedis {
  private process?: ChildProcess;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitFor(async () => {
      const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    }, `redis-server on port ${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** The repository root: the nearest folder upwards holding package.json (from test/ or dist/test/). */
export const ROOT = (() => {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + import.meta.dirname);
    dir = parent;
  }
  return dir;
})();

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built command (`npm test` builds first) with exactly the environment given, and `args` after the script. */
export function runBuilt(script: string, env: Record<string, string>, timeoutMs = 30000, args: string[] = []): Promise<CommandResult> {
  const file = join(ROOT, 'dist', script);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function spawnBuilt(script: string, env: Record<string, string>): ChildProcess {
  const nodeArgs = process.env.DUBAN_PROFILE_DIR ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.DUBAN_PROFILE_DIR}`] : [];
  return spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', script)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface RunningApp {
  url: string;
  /** Everything the process wrote so far (JSON log lines, errors). */
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a built app (api or worker) as its own process, exactly as `npm run start:*` does,
 * and resolves once `readyPath` answers. NestJS is ESM-only; a real process is also the only
 * place where Node's require(esm) serves the CommonJS Nest plugins (nestjs-pino, throttler).
 */
export async function startBuilt(script: string, env: Record<string, string>, port: number, readyPath: string): Promise<RunningApp> {
  const child = spawnBuilt(script, env);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output}`);
        const res = await fetch(url + readyPath);
        return res.status < 500;
      },
      `${script} on port ${port}`,
      30000,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A migrated database seeded with the demo (admin, calendar cn, built-in workflows) and a built api on it. */
export async function startSeededApi(testEnv: TestEnv, demoPassword: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const seeded = await runBuilt('apps/cli/src/seed-demo.js', { DATABASE_URL: testEnv.databaseUrl, DEMO_PASSWORD: demoPassword, DEMO_SCOPE: 'base' });
  if (seeded.code !== 0) throw new Error(`seed:demo failed: ${seeded.stderr}`);
  const port = await freePort();
  return startBuilt('apps/api/src/main.js', { ...testEnv.env, PORT: String(port), ...env }, port, '/api/v1/health');
}
