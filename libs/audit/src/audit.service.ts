import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appendAnchors, compareWithLog, type LoggedAnchor, readAnchorLog } from './anchor-log.js';
import { canonicalJson } from './canonical.js';
import { firstBrokenLink, GENESIS_HASH, headMismatch, type StoredEntry } from './chain.js';

export type TaskVerification = { valid: true; entries: number } | { valid: false; brokenAt: number };

export interface AnchorCheck {
  id: string;
  cutoff: Date;
  valid: boolean;
  /** What no longer matches: the heads, the counts, or the anchor chain itself. */
  problem?: string;
}

export interface FullVerification {
  tasks: number;
  entries: number;
  broken: { taskId: string; brokenAt: number }[];
  anchors: AnchorCheck[];
}

/** Entries newer than this are left to the next anchor: a transaction that began before the cutoff may still commit. */
export const ANCHOR_SETTLE_MS = 5 * 60_000;

const ENTRY_COLUMNS = `task_id AS "taskId", seq, at, actor_id AS "actorId", actor_role AS "actorRole", action, from_state AS "fromState",
  to_state AS "toState", data, request_id AS "requestId", prev_hash AS "prevHash", hash`;

const HEADS = `
  SELECT count(*)::int AS tasks, coalesce(sum(seq), 0)::bigint AS entries,
         encode(sha256(convert_to(coalesce(string_agg(task_id::text || ':' || seq || ':' || hash, E'\\n' ORDER BY task_id), ''), 'UTF8')), 'hex') AS heads
    FROM (SELECT DISTINCT ON (task_id) task_id, seq, hash FROM audit_entries WHERE at <= $1 ORDER BY task_id, seq DESC) h`;

/** A row of HEADS; `entries` is a bigint, which pg hands over as a string. */
interface Heads {
  tasks: number;
  entries: string;
  heads: string;
}

/**
 * The INSERT of links (from nextLink), their values appended to `params` as one JSON array so
 * that a batch costs one parameter; usable inside a CTE, where `onlyForTasksIn` (a subquery of
 * task ids) keeps the links of rows another part of the statement did not insert.
 */
export function auditInsert(entries: StoredEntry | readonly StoredEntry[], params: unknown[], onlyForTasksIn?: string): string {
  const rows = (Array.isArray(entries) ? entries : [entries]) as readonly StoredEntry[];
  params.push(
    JSON.stringify(
      rows.map((e) => ({
        task_id: e.taskId,
        seq: e.seq,
        at: e.at.toISOString(),
        actor_id: e.actorId,
        actor_role: e.actorRole,
        action: e.action,
        from_state: e.fromState,
        to_state: e.toState,
        data: e.data,
        request_id: e.requestId,
        prev_hash: e.prevHash,
        hash: e.hash,
      })),
    ),
  );
  const onlyThose = onlyForTasksIn ? ` WHERE e.task_id IN (${onlyForTasksIn})` : '';
  return `INSERT INTO audit_entries (task_id, seq, at, actor_id, actor_role, action, from_state, to_state, data, request_id, prev_hash, hash)
          SELECT * FROM jsonb_to_recordset($${params.length}::jsonb) AS e(task_id uuid, seq int, at timestamptz, actor_id uuid, actor_role text,
            action text, from_state text, to_state text, data jsonb, request_id text, prev_hash text, hash text)${onlyThose}`;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async entries(taskId: string): Promise<StoredEntry[]> {
    return this.db.query(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE task_id = $1 ORDER BY seq`, [taskId]);
  }

  /**
   * The chain's links, and its end against the head the task row records: deleting the last
   * entries leaves a whole chain that only the head can tell is short. Both are read in one
   * snapshot, so a transition committing in between is not taken for tampering.
   */
  async verifyTask(taskId: string): Promise<TaskVerification> {
    const { entries, heads } = await this.chainsOf([taskId]);
    const brokenAt = chainBrokenAt(entries, heads.get(taskId));
    return brokenAt === null ? { valid: true, entries: entries.length } : { valid: false, brokenAt };
  }

  /** Every task's chain, in batches, then every anchor. */
  async verifyAll(onProgress?: (tasks: number) => void, anchorLog?: string): Promise<FullVerification> {
    const result: FullVerification = { tasks: 0, entries: 0, broken: [], anchors: [] };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const ids: { id: string }[] = await this.db.query(`SELECT id FROM tasks WHERE id > $1 ORDER BY id LIMIT 500`, [after]);
      if (ids.length === 0) break;
      const { entries: rows, heads } = await this.chainsOf(ids.map((r) => r.id));
      const byTask = new Map<string, StoredEntry[]>(ids.map((r) => [r.id, []]));
      for (const row of rows) byTask.get(row.taskId)?.push(row);
      for (const [taskId, entries] of byTask) {
        result.tasks++;
        result.entries += entries.length;
        const brokenAt = chainBrokenAt(entries, heads.get(taskId));
        if (brokenAt !== null) result.broken.push({ taskId, brokenAt });
      }
      after = ids[ids.length - 1]!.id;
      onProgress?.(result.tasks);
    }
    result.anchors = await this.verifyAnchors(anchorLog);
    return result;
  }

  /** The entries of these tasks (by task, seq) and their rows' heads, read in one snapshot. */
  private chainsOf(taskIds: string[]): Promise<{ entries: StoredEntry[]; heads: Map<string, TaskHead> }> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const entries = await tx.query<StoredEntry[]>(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE task_id = ANY($1) ORDER BY task_id, seq`, [taskIds]);
      const rows = await tx.query<{ id: string; seq: number; hash: string | null }[]>(
        `SELECT id, audit_seq AS seq, audit_hash AS hash FROM tasks WHERE id = ANY($1)`,
        [taskIds],
      );
      return { entries, heads: new Map(rows.map((r) => [r.id, { seq: r.seq, hash: r.hash }])) };
    });
  }

  /**
   * Records the hash over all chain heads up to a settled cutoff, chained to the previous anchor,
   * and hands it, before the row commits, to the witness (`out.witnessUrl`, POSTed as JSON, a
   * 2xx required) and the anchor log (`out.log`, appended): an anchor either copy could not take
   * is not written (the job retries), so the database never holds one its outside copies lack.
   */
  async anchor(settleMs = ANCHOR_SETTLE_MS, now = new Date(), out: AnchorCopies = {}): Promise<{ id: string; tasks: number; entries: number }> {
    const cutoff = new Date(now.getTime() - settleMs);
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['audit:anchor']);
      const [heads] = await tx.query<Heads[]>(HEADS, [cutoff]);
      const [previous] = await tx.query<{ hash: string }[]>(`SELECT hash FROM audit_anchors ORDER BY id DESC LIMIT 1`);
      const prevHash: string = previous?.hash ?? GENESIS_HASH;
      const hash = anchorHash(prevHash, cutoff, heads.tasks, String(heads.entries), heads.heads);
      const [row] = await tx.query<{ id: string }[]>(
        `INSERT INTO audit_anchors (cutoff, tasks, entries, heads_hash, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [cutoff, heads.tasks, heads.entries, heads.heads, prevHash, hash],
      );
      const logged: LoggedAnchor = {
        id: String(row.id),
        cutoff: cutoff.toISOString(),
        tasks: heads.tasks,
        entries: String(heads.entries),
        headsHash: heads.heads,
        prevHash,
        hash,
      };
      if (out.witnessUrl) await sendToWitness(out.witnessUrl, logged);
      if (out.log) await appendAnchors(out.log, [logged]);
      return { id: logged.id, tasks: heads.tasks, entries: Number(heads.entries) };
    });
  }

  /**
   * Every anchor: its place in the anchor chain, and the chain heads at its cutoff now against
   * the figures it recorded. With an anchor log, the log's figures are the ones believed, and
   * anchors deleted from the database, rewritten in it or missing from the log are reported too.
   */
  async verifyAnchors(anchorLog?: string): Promise<AnchorCheck[]> {
    const rows = await this.db.query<AnchorRow[]>(`SELECT id, cutoff, tasks, entries, heads_hash, prev_hash, hash FROM audit_anchors ORDER BY id`);
    const db = rows.map(asLogged);
    const log = anchorLog ? await readAnchorLog(anchorLog) : undefined;
    const logged = new Map((log?.anchors ?? []).map((a) => [a.id, a]));
    const checks = new Map<string, { cutoff: string; problems: string[] }>();
    let prev = GENESIS_HASH;
    for (const a of db) {
      const problems: string[] = [];
      if (a.prevHash !== prev || anchorHash(a.prevHash, new Date(a.cutoff), a.tasks, a.entries, a.headsHash) !== a.hash) {
        problems.push('the anchor chain was altered');
      } else {
        const heads = await this.headsProblem(logged.get(a.id) ?? a);
        if (heads) problems.push(heads);
      }
      checks.set(a.id, { cutoff: a.cutoff, problems });
      prev = a.hash;
    }
    if (log) await this.judgeByLog(db, log, checks);
    return [...checks].map(([id, c]) => ({
      id,
      cutoff: new Date(c.cutoff),
      valid: c.problems.length === 0,
      ...(c.problems.length > 0 ? { problem: c.problems.join('; ') } : {}),
    }));
  }

  /** The log's verdicts added to `checks`; an anchor deleted from the database still has its heads checked by the log. */
  private async judgeByLog(
    db: LoggedAnchor[],
    log: { anchors: LoggedAnchor[]; unreadable: number[] },
    checks: Map<string, { cutoff: string; problems: string[] }>,
  ): Promise<void> {
    for (const p of compareWithLog(db, log.anchors)) {
      const check = checks.get(p.id);
      if (check) {
        check.problems.push(p.problem);
        continue;
      }
      const problems = [p.problem];
      const deleted = log.anchors.find((a) => a.id === p.id);
      const heads = deleted ? await this.headsProblem(deleted) : null;
      if (heads) problems.push(heads);
      checks.set(p.id, { cutoff: p.cutoff, problems });
    }
    for (const line of log.unreadable) checks.set(`log line ${line}`, { cutoff: new Date(0).toISOString(), problems: ['the anchor log line does not parse'] });
  }

  /** How the chain heads at the anchor's cutoff differ now from what it recorded, or null. */
  private async headsProblem(a: LoggedAnchor): Promise<string | null> {
    const [now] = await this.db.query<Heads[]>(HEADS, [new Date(a.cutoff)]);
    if (now.heads === a.headsHash && now.tasks === a.tasks && String(now.entries) === String(a.entries)) return null;
    return `chain heads differ from the anchor (tasks ${now.tasks} vs ${a.tasks}, entries ${now.entries} vs ${a.entries})`;
  }
}

/** Where anchors are copied out of the database's reach (AUDIT_ANCHOR_LOG, AUDIT_ANCHOR_WITNESS_URL). */
export interface AnchorCopies {
  log?: string;
  witnessUrl?: string;
}

const WITNESS_TIMEOUT_MS = 10_000;

/** POSTs the anchor to the external witness; anything but a 2xx fails the anchor. */
async function sendToWitness(url: string, anchor: LoggedAnchor): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Duban-Audit/1', 'x-duban-event': 'audit.anchor' },
    body: JSON.stringify(anchor),
    redirect: 'manual',
    signal: AbortSignal.timeout(WITNESS_TIMEOUT_MS),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`the audit witness answered ${res.status}; the anchor is not written`);
}

/** A row of audit_anchors; `entries` is a bigint, which pg hands over as a string. */
interface AnchorRow {
  id: string;
  cutoff: Date;
  tasks: number;
  entries: string;
  heads_hash: string;
  prev_hash: string;
  hash: string;
}

const asLogged = (a: AnchorRow): LoggedAnchor => ({
  id: String(a.id),
  cutoff: a.cutoff.toISOString(),
  tasks: a.tasks,
  entries: String(a.entries),
  headsHash: a.heads_hash,
  prevHash: a.prev_hash,
  hash: a.hash,
});

interface TaskHead {
  seq: number;
  hash: string | null;
}

/** The first seq where a task's chain does not hold: a broken link, or an end other than its row's head. */
function chainBrokenAt(entries: StoredEntry[], head: TaskHead | undefined): number | null {
  if (entries.length === 0) return 1;
  return firstBrokenLink(entries) ?? (head ? headMismatch(entries, head) : null);
}

export function anchorHash(prevHash: string, cutoff: Date, tasks: number, entries: string, heads: string): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ cutoff: cutoff.toISOString(), tasks, entries, heads }))
    .digest('hex');
}
