// The bare-machine check (issue 20): starts Duban the way a machine with only Node.js would —
// no DATABASE_URL, no REDIS_URL, this machine's PostgreSQL and Redis hidden (the probes of
// scripts/services.sh pointed at closed ports, installed servers and Docker not started) — through
// scripts/start.sh in a temporary copy of the checkout, so the embedded PostgreSQL starts and the
// queues run on it. It logs in with the demo password start.sh prints, creates a task whose 2 s
// deadline fires, waits for the firing, runs `start.sh stop` and checks that nothing it started is
// left running. Prints each step's time; exits non-zero on the first failure.
//
//   node scripts/bare-machine-check.mjs      (run by .ci/run; needs `npm run build` to have worked)
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const repo = realpathSync(join(dirname(new URL(import.meta.url).pathname), '..'));
const started = performance.now();
const seconds = (from) => ((performance.now() - from) / 1000).toFixed(1);
const step = (text) => console.log(`[bare-machine ${seconds(started)} s] ${text}`);

/** A port nothing listens on right now (bound, then released). */
async function closedPort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/** Runs `bash scripts/start.sh [args]` in `dir` with `env`; resolves with its output, rejects on failure. */
function startSh(dir, env, args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['scripts/start.sh', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`start.sh ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`))));
  });
}

/** Polls `probe` every 200 ms until it returns a truthy value; fails after `ms`, naming `what`. */
async function waitFor(probe, what, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

/**
 * Processes started in `dir` (postgres, api, worker): their command line names it, or they run
 * with their working directory inside it (a process started with a relative path names it only so).
 * As `pid args` lines; this check itself is left out.
 */
function processesIn(dir) {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => {
      const pid = Number.parseInt(line, 10);
      if (!pid || pid === process.pid || line.includes('bare-machine-check')) return false;
      if (line.includes(dir)) return true;
      try {
        const cwd = readlinkSync(`/proc/${pid}/cwd`);
        return cwd === dir || cwd.startsWith(`${dir}/`);
      } catch {
        // Gone meanwhile, or another user's process we may not look into.
        return false;
      }
    });
}

// The copy: the checkout's files as git knows them (plus uncommitted edits), and its node_modules.
const dir = mkdtempSync(join(tmpdir(), 'duban-bare-'));
// The embedded PostgreSQL runs as an unprivileged user when we are root: it must reach its data.
chmodSync(dir, 0o755);
let failed = false;
let env;
try {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (file === 'node_modules' || !existsSync(join(repo, file))) continue;
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    cpSync(join(repo, file), join(dir, file), { dereference: false, errorOnExist: false, force: true });
  }
  symlinkSync(realpathSync(join(repo, 'node_modules')), join(dir, 'node_modules'));
  step(`copied ${files.length} files to ${dir}`);

  env = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'QUEUE_BACKEND', 'DEMO_PASSWORD', 'JWT_SECRET', 'QUEUE_PREFIX', 'PGHOST', 'PGDATABASE']) delete env[name];
  const [pgPort, redisPort, apiPort, workerPort] = [await closedPort(), await closedPort(), await closedPort(), await closedPort()];
  Object.assign(env, {
    PGPORT: String(pgPort),
    REDIS_PORT: String(redisPort),
    DUBAN_START_LOCAL: '0',
    DUBAN_SKIP_INSTALL: '1',
    PORT: String(apiPort),
    WORKER_PORT: String(workerPort),
    // The pump looks for due timers every second, so a 2 s deadline fires within about 3 s.
    TIMER_PUMP_INTERVAL_MS: '1000',
  });

  const startAt = performance.now();
  const output = await startSh(dir, env);
  const startSeconds = seconds(startAt);
  const shown = output.split('\n').filter((line) => /^\s*(Database|Queues|Demo login)\s/.test(line));
  step(`start.sh took ${startSeconds} s (build, embedded PostgreSQL, migrate, seed, api and worker):\n  ${shown.map((l) => l.trim()).join('\n  ')}`);
  if (!/Database\s+embedded/.test(output)) throw new Error('start.sh did not use the embedded PostgreSQL');
  if (!/QUEUE_BACKEND=postgres/.test(output)) throw new Error('start.sh did not choose the postgres queue backend');
  const password = /Demo login\s+admin \/ (\S+)/.exec(output)?.[1];
  if (!password) throw new Error('start.sh printed no demo password');
  const written = readFileSync(join(dir, '.run/env'), 'utf8');
  const printedUrl = /DATABASE_URL=(postgres:\/\/\S+)/.exec(output)?.[1];
  if (!printedUrl || !written.includes(`DATABASE_URL=${printedUrl}`)) throw new Error('.run/env does not hold the DATABASE_URL start.sh printed');

  const api = `http://127.0.0.1:${apiPort}/api/v1`;
  const call = async (method, path, token, body) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : undefined;
  };
  const login = async (username) => (await call('POST', '/auth/login', undefined, { username, password })).accessToken;
  const admin = await login('admin');
  const supervisor = await login('supervisor');
  const health = await call('GET', '/health');
  if (Object.keys(health.info).join() !== 'database') throw new Error(`health should name PostgreSQL alone: ${JSON.stringify(health)}`);
  step(`logged in as admin and supervisor with the printed password; health ${JSON.stringify(health.info)}`);

  await call('POST', '/workflows', admin, {
    key: 'bare-check',
    name: '裸机检查',
    deadline: '2s',
    states: [
      { key: 'open', label: '办理中', initial: true },
      { key: 'closed', label: '已办结', terminal: true },
    ],
    transitions: [{ action: 'close', label: '办结', from: ['open'], to: 'closed', allowed: ['owner'] }],
  });
  const departments = await call('GET', '/departments', admin);
  const lead = (departments.items ?? departments).find((d) => d.code === 'zsj') ?? (departments.items ?? departments)[0];
  const createdAt = performance.now();
  const task = await call('POST', '/tasks', supervisor, { workflow: 'bare-check', title: '裸机检查：两秒期限', leadDepartmentIds: [lead.id] });
  const trail = await waitFor(
    async () => {
      const entries = await call('GET', `/tasks/${task.id}/audit`, supervisor);
      return entries.some((e) => e.action === 'timer.overdue') && entries;
    },
    'the 2 s deadline to fire',
    30_000,
  );
  const fired = trail.find((e) => e.action === 'timer.overdue');
  const lateness = Date.parse(fired.at) - Date.parse(task.dueAt);
  const now = await call('GET', `/tasks/${task.id}`, supervisor);
  if (!now.overdue) throw new Error(`the task is not overdue after its timer fired: ${JSON.stringify(now)}`);
  step(`task ${task.ref}: its 2 s deadline fired ${lateness} ms after it was due, ${seconds(createdAt)} s after creation; the task is overdue`);
} catch (err) {
  failed = true;
  console.error(`[bare-machine] FAILED: ${err.message}`);
  for (const log of ['.run/api.log', '.run/worker.log', '.run/pgdata/postgres.log']) {
    try {
      console.error(`--- end of ${log}\n${readFileSync(join(dir, log), 'utf8').split('\n').slice(-15).join('\n')}`);
    } catch {
      // Not started as far as that log.
    }
  }
} finally {
  try {
    const stopAt = performance.now();
    if (env) await startSh(dir, env, ['stop']);
    const left = await waitFor(async () => processesIn(dir).length === 0 || undefined, 'every process to end', 10_000).then(
      () => [],
      () => processesIn(dir),
    );
    if (left.length > 0) {
      failed = true;
      console.error(`[bare-machine] FAILED: still running after start.sh stop:\n${left.join('\n')}`);
      for (const line of left) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    } else step(`start.sh stop took ${seconds(stopAt)} s; no process of the copy is left`);
  } catch (err) {
    failed = true;
    console.error(`[bare-machine] FAILED: ${err.message}`);
  }
  rmSync(dir, { recursive: true, force: true });
}
console.log(`[bare-machine] ${failed ? 'FAILED' : 'passed'} in ${seconds(started)} s`);
process.exit(failed ? 1 : 0);
