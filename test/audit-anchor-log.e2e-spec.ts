import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { anchorHash, AuditService, GENESIS_HASH } from '@duban/audit';
import { createDataSource } from '@duban/db';
import { type Stack, startStack, stopStack } from './support/stack.js';
import { freePort, runBuilt, startBuilt, waitFor } from './support/test-env.js';

/**
 * Anchors are also appended to a file out of the database's reach (AUDIT_ANCHOR_LOG), and
 * `audit:verify` judges the database's anchors by it: an owner of the database who deletes an
 * anchor, or rewrites a chain and recomputes every anchor over it, is still found.
 */
describe('the anchor log outside the database', () => {
  let stack: Stack;
  let ds: DataSource;
  let dir: string;
  let logPath: string;
  const tasks: string[] = [];

  const verify = (withLog = true) =>
    runBuilt('apps/cli/src/audit-verify.js', { DATABASE_URL: stack.testEnv.databaseUrl, ...(withLog ? { AUDIT_ANCHOR_LOG: logPath } : {}) });
  /** A witness on loopback that keeps what it is sent and answers `status`. */
  async function startWitness(status: number): Promise<{ url: string; received: Record<string, unknown>[]; close: () => void }> {
    const received: Record<string, unknown>[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/anchors`, received, close: () => server.close() };
  }
  const logLines = async () => (await readFile(logPath, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');

  beforeAll(async () => {
    stack = await startStack();
    dir = await mkdtemp(join(tmpdir(), 'duban-anchor-log-'));
    logPath = join(dir, 'anchors.jsonl');
    for (const title of ['甲', '乙']) {
      const created = await request(stack.api.url)
        .post('/api/v1/tasks')
        .set('Authorization', stack.org.token.supervisor)
        .send({ workflow: 'hotline-ticket', title, leadDepartmentIds: [stack.org.dept.O1] })
        .expect(201);
      await request(stack.api.url)
        .post(`/api/v1/tasks/${created.body.id}/actions`)
        .set('Authorization', stack.org.token.lead)
        .send({ action: 'accept' })
        .expect(200);
      tasks.push(created.body.id);
    }
    ds = createDataSource({ url: stack.testEnv.databaseUrl, poolSize: 2, applicationName: 'anchor-log-test' });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await stopStack(stack ?? {});
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the worker appends each anchor to the log and sends it to the witness, with its id, cutoff, heads hash and counts; verify agrees', async () => {
    const witness = await startWitness(204);
    const port = await freePort();
    const worker = await startBuilt(
      'apps/worker/src/main.js',
      {
        ...stack.testEnv.env,
        WORKER_PORT: String(port),
        AUDIT_ANCHOR_EVERY_MS: '1000',
        AUDIT_ANCHOR_SETTLE_MS: '0',
        AUDIT_ANCHOR_LOG: logPath,
        AUDIT_ANCHOR_WITNESS_URL: witness.url,
      },
      port,
      '/health',
    );
    try {
      await waitFor(async () => (await logLines()).some((l) => (JSON.parse(l) as { tasks: number }).tasks === 2), 'an anchor over both chains in the log');
    } finally {
      await worker.stop();
      witness.close();
    }
    const { rows } = await stack.db.query(`SELECT id::text AS id, cutoff, tasks, entries::text AS entries, heads_hash FROM audit_anchors ORDER BY id`);
    const logged = (await logLines()).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.map((l) => l.id)).toEqual(rows.map((r) => r.id));
    expect(logged.at(-1)).toMatchObject({
      id: rows.at(-1).id,
      cutoff: rows.at(-1).cutoff.toISOString(),
      tasks: 2,
      entries: '4',
      headsHash: rows.at(-1).heads_hash,
    });
    expect(witness.received.map((w) => w.id)).toEqual(rows.map((r) => r.id));
    expect(witness.received.at(-1)).toMatchObject({ tasks: 2, entries: '4', headsHash: rows.at(-1).heads_hash });
    const result = await verify();
    expect(result.stdout).toContain(`anchors judged by the anchor log ${logPath}`);
    expect(result.stdout).toMatch(/[1-9]\d* anchor\(s\) checked; 0 broken/);
    expect(result.code).toBe(0);
  }, 30_000);

  it('writes no anchor the witness refused, in the database or the log', async () => {
    const witness = await startWitness(503);
    try {
      const before = await stack.db.query(`SELECT count(*)::int AS n FROM audit_anchors`);
      const lines = (await logLines()).length;
      await expect(new AuditService(ds).anchor(0, new Date(), { log: logPath, witnessUrl: witness.url })).rejects.toThrow(/witness answered 503/);
      expect(witness.received).toHaveLength(1);
      expect((await stack.db.query(`SELECT count(*)::int AS n FROM audit_anchors`)).rows[0].n).toBe(before.rows[0].n);
      expect(await logLines()).toHaveLength(lines);
    } finally {
      witness.close();
    }
  });

  it('finds a chain rewritten with every anchor recomputed, though the database then agrees with itself and a later anchor covers it', async () => {
    const audit = new AuditService(ds);
    const before = await audit.anchor(0, new Date(), { log: logPath });
    // The owner of the database drops the last entry of a chain, moves the task's head back and
    // recomputes every anchor, so that the database agrees with itself.
    await stack.db.query(`ALTER TABLE audit_entries DISABLE TRIGGER USER`);
    await stack.db.query(`ALTER TABLE audit_anchors DISABLE TRIGGER USER`);
    try {
      await stack.db.query(`DELETE FROM audit_entries WHERE task_id = $1 AND seq = 2`, [tasks[0]]);
      await stack.db.query(`UPDATE tasks t SET audit_seq = 1, audit_hash = e.hash FROM audit_entries e WHERE t.id = $1 AND e.task_id = t.id AND e.seq = 1`, [
        tasks[0],
      ]);
      await recomputeAnchors();
    } finally {
      await stack.db.query(`ALTER TABLE audit_anchors ENABLE TRIGGER USER`);
      await stack.db.query(`ALTER TABLE audit_entries ENABLE TRIGGER USER`);
    }
    await audit.anchor(0, new Date(), { log: logPath });
    const alone = await verify(false);
    expect(alone.stdout).toContain('0 broken chain(s)');
    expect(alone.code).toBe(0);

    const judged = await verify();
    expect(judged.code).toBe(1);
    const problem = 'chain heads differ from the anchor \\(tasks 2 vs 2, entries 3 vs 4\\); differs from the anchor log in entries, headsHash';
    expect(judged.stdout).toMatch(new RegExp(`anchor ${before.id} \\(cutoff [^)]+\\): ${problem}`));
  }, 30_000);

  it('finds the last anchor deleted from the database by the log', async () => {
    const audit = new AuditService(ds);
    const last = await audit.anchor(0, new Date(), { log: logPath });
    await stack.db.query(`ALTER TABLE audit_anchors DISABLE TRIGGER USER`);
    try {
      await stack.db.query(`DELETE FROM audit_anchors WHERE id = $1`, [last.id]);
    } finally {
      await stack.db.query(`ALTER TABLE audit_anchors ENABLE TRIGGER USER`);
    }
    const result = await verify();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`anchor ${last.id} \\(cutoff [^)]+\\): is in the anchor log but not in the database \\(deleted\\)`));
  }, 30_000);

  /** What a forger with the table owner's rights does: every anchor's figures and hash chain as the rewritten chains give them. */
  async function recomputeAnchors(): Promise<void> {
    const { rows } = await stack.db.query(`SELECT id, cutoff FROM audit_anchors ORDER BY id`);
    let prev = GENESIS_HASH;
    for (const a of rows as { id: string; cutoff: Date }[]) {
      const {
        rows: [h],
      } = await stack.db.query(
        `SELECT count(*)::int AS tasks, coalesce(sum(seq), 0)::bigint::text AS entries,
                encode(sha256(convert_to(coalesce(string_agg(task_id::text || ':' || seq || ':' || hash, E'\\n' ORDER BY task_id), ''), 'UTF8')),
                       'hex') AS heads
           FROM (SELECT DISTINCT ON (task_id) task_id, seq, hash FROM audit_entries WHERE at <= $1 ORDER BY task_id, seq DESC) h`,
        [a.cutoff],
      );
      const hash = anchorHash(prev, a.cutoff, h.tasks, h.entries, h.heads);
      await stack.db.query(`UPDATE audit_anchors SET tasks = $2, entries = $3, heads_hash = $4, prev_hash = $5, hash = $6 WHERE id = $1`, [
        a.id,
        h.tasks,
        h.entries,
        h.heads,
        prev,
        hash,
      ]);
      prev = hash;
    }
  }
});
