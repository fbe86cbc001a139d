import { nextLink, type StoredEntry } from '@duban/audit';
import type { Actor, TaskRow, TaskUpdate } from '@duban/tasks';

/** The audit action of an upload; its data is `{files: AuditedFile[]}`. */
export const ATTACH_ACTION = 'attach';

/** What the audit entry that adds a file records of it: enough to tell later that it is the same file. */
export interface AuditedFile {
  id: string;
  filename: string;
  contentType: string;
  /** Bytes. */
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
}

/** An attachments row as verification reads it. */
export interface AttachmentRow {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
}

/**
 * What is wrong with one file of a task: `altered` (its bytes, or its recorded name, type, size
 * or digest, differ from what the audit entry that added it says), `missing` (the audit names it
 * but its row or bytes are gone), `unaudited` (a row no audit entry adds).
 */
export interface EvidenceProblem {
  id: string;
  filename: string;
  /** The audit entry that adds the file; for an unaudited file, the seq its entry would have had (after the head). */
  seq: number;
  problem: 'altered' | 'missing' | 'unaudited';
}

/**
 * The audit-only change that records an upload on a task: one `attach` link at the head of its
 * chain (the state unchanged), its `version` as it was (a file changes nothing a client acts on).
 */
export function attachedUpdate(
  row: Pick<TaskRow, 'id' | 'state' | 'audit_seq' | 'audit_hash'>,
  files: readonly AuditedFile[],
  actor: Actor,
  requestId: string | null,
  now: Date,
): TaskUpdate {
  const link = nextLink(row.audit_hash ? { seq: row.audit_seq, hash: row.audit_hash } : null, {
    taskId: row.id,
    at: now,
    actorId: actor.id,
    actorRole: actor.role,
    action: ATTACH_ACTION,
    fromState: row.state,
    toState: row.state,
    data: { files: files.map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size, sha256: f.sha256 })) },
    requestId,
  });
  return { id: row.id, changes: {}, versionBump: 0, links: [link], events: [], facts: [] };
}

/** What evidence checking reads of an audit entry. */
export type AttachEntry = Pick<StoredEntry, 'seq' | 'action' | 'data'>;

/**
 * Checks a task's files against its audit entries (its `attach` entries suffice): each file an
 * entry names must still have its row, as recorded, and bytes whose SHA-256 (`digests`, by
 * storage key) is the audited one; every row must be named by an entry (else it is reported at
 * `headSeq` + 1, the task's chain head being `headSeq`). Sorted by seq, then id.
 */
export function evidenceProblems(
  entries: readonly AttachEntry[],
  rows: readonly AttachmentRow[],
  digests: ReadonlyMap<string, string>,
  headSeq: number,
): EvidenceProblem[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const audited = new Set<string>();
  const problems: EvidenceProblem[] = [];
  for (const entry of entries) {
    if (entry.action !== ATTACH_ACTION) continue;
    for (const file of filesOf(entry)) {
      audited.add(file.id);
      const row = byId.get(file.id);
      const digest = row ? digests.get(row.storage_key) : undefined;
      const problem = !row || digest === undefined ? 'missing' : digest !== file.sha256 || !recordedAs(row, file) ? 'altered' : null;
      if (problem) problems.push({ id: file.id, filename: file.filename, seq: entry.seq, problem });
    }
  }
  for (const row of rows) if (!audited.has(row.id)) problems.push({ id: row.id, filename: row.filename, seq: headSeq + 1, problem: 'unaudited' });
  return problems.sort((a, b) => a.seq - b.seq || a.id.localeCompare(b.id));
}

function filesOf(entry: AttachEntry): AuditedFile[] {
  const files = entry.data.files;
  return Array.isArray(files) ? (files as AuditedFile[]) : [];
}

function recordedAs(row: AttachmentRow, file: AuditedFile): boolean {
  return row.sha256 === file.sha256 && row.filename === file.filename && row.content_type === file.contentType && Number(row.size) === file.size;
}
