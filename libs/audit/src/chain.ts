import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry that its hash covers. */
export interface AuditFacts {
  taskId: string;
  seq: number;
  at: Date;
  actorId: string | null;
  actorRole: string;
  action: string;
  fromState: string | null;
  toState: string | null;
  data: Record<string, unknown>;
  requestId: string | null;
}

export function entryHash(prevHash: string, facts: AuditFacts): string {
  const canonical = canonicalJson({
    taskId: facts.taskId,
    seq: facts.seq,
    at: facts.at.toISOString(),
    actorId: facts.actorId,
    actorRole: facts.actorRole,
    action: facts.action,
    fromState: facts.fromState,
    toState: facts.toState,
    data: facts.data,
    requestId: facts.requestId,
  });
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

export interface StoredEntry extends AuditFacts {
  prevHash: string;
  hash: string;
}

/** The first link that does not hold (seq), or null when the chain is whole from seq 1. */
export function firstBrokenLink(entries: StoredEntry[]): number | null {
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.seq !== i + 1 || entry.prevHash !== prev || entryHash(prev, entry) !== entry.hash) return entry.seq;
    prev = entry.hash;
  }
  return null;
}

/** The last link of a chain, as the task row's head column reads it (null before the first). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The next link after `head`: its seq, the previous hash and its own hash. */
export function nextLink(head: ChainHead | null, facts: Omit<AuditFacts, 'seq'>): StoredEntry {
  // Stored to the millisecond so that the time read back hashes to the same bytes.
  const entry: AuditFacts = { ...facts, at: new Date(Math.floor(facts.at.getTime())), seq: (head?.seq ?? 0) + 1 };
  const prevHash = head?.hash ?? GENESIS_HASH;
  return { ...entry, prevHash, hash: entryHash(prevHash, entry) };
}

/**
 * Where a whole chain disagrees with the head its task row records (tasks.audit_seq/audit_hash,
 * written by TaskStore in the same statement as each link): the seq of the first link the head
 * expects but the chain lacks (the last entries were deleted), or the seq of the last link when
 * the chain runs past the head or ends on another hash. Null when they agree. A row with no head
 * (audit_hash null) is a task written before heads existed and is checked by its links alone.
 */
export function headMismatch(entries: readonly StoredEntry[], head: { seq: number; hash: string | null }): number | null {
  if (head.hash === null) return null;
  const last = entries.at(-1);
  if (!last) return 1;
  if (last.seq < head.seq) return last.seq + 1;
  if (last.seq > head.seq || last.hash !== head.hash) return last.seq;
  return null;
}
