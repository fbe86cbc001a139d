import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { waitFor } from './test-env.js';

const run = promisify(execFile);
const BIN = process.env.TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the suite's own, in a temporary directory, that the suite may stop and
 * start at will. initdb refuses to run as root: then the cluster belongs to the `postgres` user
 * and its commands run through runuser.
 */
export class PrivatePostgres {
  private readonly dir = mkdtempSync(join(tmpdir(), 'duban-pg-'));
  private readonly asRoot = process.getuid?.() === 0;

  constructor(readonly port: number) {}

  /** The URL of database `name` on this cluster (trust auth, user postgres). */
  url(name = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  private async command(binary: string, args: string[]): Promise<void> {
    if (!this.asRoot) {
      await run(join(BIN, binary), args, { cwd: this.dir });
    } else if (statSync('/dev/null').isCharacterDevice()) {
      await run('runuser', ['-u', 'postgres', '--', join(BIN, binary), ...args], { cwd: this.dir });
    } else {
      // A sandbox whose /dev/null is a plain file root owns: initdb and the server write to it as
      // postgres. A device node of our own is bound over it in a mount namespace of the command.
      const devNull = join(this.dir, 'null');
      if (!existsSync(devNull)) {
        await run('mknod', ['-m', '666', devNull, 'c', '1', '3']);
      }
      const script = 'mount --bind "$0" /dev/null && exec runuser -u postgres -- "$@"';
      await run('unshare', ['-m', 'sh', '-c', script, devNull, join(BIN, binary), ...args], { cwd: this.dir });
    }
  }

  async init(): Promise<void> {
    if (this.asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(this.dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await this.command('initdb', ['-D', join(this.dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.command('pg_ctl', ['-D', join(this.dir, 'data'), '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']);
    await waitFor(async () => {
      const client = new pg.Client({ connectionString: this.url() });
      try {
        await client.connect();
        return (await client.query('SELECT 1 AS one')).rows[0].one === 1;
      } finally {
        await client.end().catch(() => undefined);
      }
    }, `private PostgreSQL on port ${this.port}`);
  }

  /** Stops at once, ending every connection (`-m fast`). */
  async stop(): Promise<void> {
    await this.command('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Stops the cluster if it runs and removes its directory. */
  async dispose(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
