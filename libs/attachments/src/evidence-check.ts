import type { DataSource } from 'typeorm';
import type { AttachmentStore } from './attachment-store.js';
import { ATTACH_ACTION, type AttachEntry, type AttachmentRow, type EvidenceProblem, evidenceProblems } from './evidence.js';

/** The files of some tasks checked against their audit entries: how many files, and the tasks whose files are not as audited. */
export interface EvidenceReport {
  tasks: number;
  files: number;
  broken: { taskId: string; problems: EvidenceProblem[] }[];
}

/** Tasks read at a time by checkAll. */
const BATCH = 500;

/**
 * Reads tasks' files, their `attach` entries and chain heads in one snapshot (an upload
 * committing meanwhile is wholly in it or wholly out), then the digests of the bytes from the
 * store, and judges them with evidenceProblems. Used by GET /tasks/:id/audit/verify and by the
 * audit:verify command; a plain class so that the command builds it without Nest.
 */
export class EvidenceCheck {
  constructor(
    private readonly db: DataSource,
    private readonly store: AttachmentStore,
  ) {}

  async check(taskIds: readonly string[]): Promise<EvidenceReport> {
    const { rows, entries, heads } = await this.db.transaction('REPEATABLE READ', async (tx) => ({
      rows: await tx.query<(AttachmentRow & { task_id: string })[]>(
        `SELECT task_id, id, filename, content_type, size, sha256, storage_key FROM attachments WHERE task_id = ANY($1::uuid[])`,
        [taskIds],
      ),
      entries: await tx.query<(AttachEntry & { task_id: string })[]>(
        `SELECT task_id, seq, action, data FROM audit_entries WHERE task_id = ANY($1::uuid[]) AND action = $2 ORDER BY task_id, seq`,
        [taskIds, ATTACH_ACTION],
      ),
      heads: await tx.query<{ id: string; seq: number }[]>(`SELECT id, audit_seq AS seq FROM tasks WHERE id = ANY($1::uuid[])`, [taskIds]),
    }));
    const digests = await this.store.sha256(rows.map((r) => r.storage_key));
    const report: EvidenceReport = { tasks: taskIds.length, files: rows.length, broken: [] };
    for (const { id, seq } of heads) {
      const problems = evidenceProblems(
        entries.filter((e) => e.task_id === id),
        rows.filter((r) => r.task_id === id),
        digests,
        seq,
      );
      if (problems.length > 0) report.broken.push({ taskId: id, problems });
    }
    return report;
  }

  /** Every task's files, in batches of tasks by id; `onProgress` hears the tasks checked so far. */
  async checkAll(onProgress?: (tasks: number) => void): Promise<EvidenceReport> {
    const total: EvidenceReport = { tasks: 0, files: 0, broken: [] };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const ids = await this.db.query<{ id: string }[]>(`SELECT id FROM tasks WHERE id > $1 ORDER BY id LIMIT ${BATCH}`, [after]);
      if (ids.length === 0) return total;
      const report = await this.check(ids.map((r) => r.id));
      total.tasks += report.tasks;
      total.files += report.files;
      total.broken.push(...report.broken);
      after = ids.at(-1)!.id;
      onProgress?.(total.tasks);
    }
  }
}
