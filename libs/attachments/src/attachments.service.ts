import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TaskVerification } from '@duban/audit';
import { databaseNow } from '@duban/db';
import type { TaskRole } from '@duban/engine';
import { type Caller, type RequestContext, scopeCondition, scopeOf, TaskNotFoundError, type TaskRow, TasksService, TaskStore, taskRoles } from '@duban/tasks';
import { DataSource, type EntityManager } from 'typeorm';
import { AttachmentStore } from './attachment-store.js';
import { sniffContentType } from './content-type.js';
import {
  AttachForbiddenError,
  AttachmentContentMissingError,
  AttachmentNotFoundError,
  AttachmentTooLargeError,
  AttachmentTypeRefusedError,
  EmptyFileError,
  NoFilesError,
} from './errors.js';
import { type AttachmentRow, attachedUpdate, type AuditedFile, type EvidenceProblem } from './evidence.js';
import { EvidenceCheck } from './evidence-check.js';
import { cleanFilename } from './filename.js';
import { MAX_ATTACHMENT_BYTES } from './limits.js';

/** A file as the request brought it: where it was (`files[0]`, for messages), the client's name for it and its bytes. */
export interface IncomingFile {
  path: string;
  originalName: string;
  bytes: Buffer;
}

/** An attachment as the API shows it; `name` is `filename` under API.md's field name. */
export interface AttachmentView {
  id: string;
  taskId: string;
  filename: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string | null;
  createdAt: string;
}

/** A file to download: its bytes and what to say about them. */
export interface AttachmentContent {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** The audit verdict of a task with its files: the chain's, or the files that no longer match it. */
export type EvidenceVerification = TaskVerification | { valid: false; brokenAt: number; attachments: EvidenceProblem[] };

/**
 * Who may add files to a task: whoever works on it or follows it up (its lead and co-units'
 * leads and handlers, the assignee, its supervisors, admins), in any state, as evidence may
 * come after the fact. Anyone else who may see the task gets 403; the rest 404.
 */
const ATTACHING_ROLES: readonly TaskRole[] = ['owner', 'co-owner', 'assignee', 'supervisor', 'admin'];

const VIEW_COLUMNS = `a.id, a.task_id, a.filename, a.content_type, a.size, a.sha256, a.storage_key, a.uploaded_by, a.created_at`;

interface StoredRow extends AttachmentRow {
  task_id: string;
  uploaded_by: string | null;
  created_at: Date;
}

interface CheckedFile extends AuditedFile {
  bytes: Buffer;
}

/**
 * Files on tasks (附件, 佐证材料): upload, list, download and verification, scoped like the task.
 * Bytes go to the AttachmentStore, metadata to `attachments`, and each upload is one `attach`
 * entry of the task's audit chain written through TaskStore, all in one transaction.
 */
@Injectable()
export class AttachmentsService {
  private readonly evidence: EvidenceCheck;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AttachmentStore) private readonly store: AttachmentStore,
    @Inject(TaskStore) private readonly tasks: TaskStore,
    @Inject(TasksService) private readonly taskService: TasksService,
  ) {
    this.evidence = new EvidenceCheck(db, store);
  }

  /**
   * Checks every file (not empty, at most 20 MiB, an accepted type by its content), then keeps them
   * all or none. Errors: NoFilesError, EmptyFileError (400), AttachmentTooLargeError (413),
   * AttachmentTypeRefusedError (415), TaskNotFoundError (404), AttachForbiddenError (403).
   */
  async upload(caller: Caller, taskId: string, incoming: readonly IncomingFile[], ctx: RequestContext): Promise<{ items: AttachmentView[] }> {
    const files = await checkFiles(incoming);
    const stored: string[] = [];
    try {
      return await this.db.transaction(async (tx) => {
        const scope = await scopeOf(tx, caller);
        const row = await this.tasks.lock(tx, taskId, scope);
        if (!row) throw new TaskNotFoundError(taskId);
        const roles = taskRoles(caller, scope, row);
        if (!roles.some((r) => ATTACHING_ROLES.includes(r))) throw new AttachForbiddenError();
        for (const file of files) {
          stored.push(file.id);
          await this.store.put(file.id, file.bytes, tx);
        }
        // Dated by PostgreSQL, as every other link of the chain: times along a task's trail never go back.
        const now = await databaseNow(tx);
        const rows = new Map((await this.insertRows(tx, row, files, caller.id, now)).map((r) => [r.id, r]));
        await this.tasks.update(tx, [attachedUpdate(row, files, { id: caller.id, role: roles.join(',') }, ctx.requestId, now)], now);
        return { items: files.map((f) => toView(rows.get(f.id)!)) };
      });
    } catch (err) {
      // A store outside the database kept bytes the rollback cannot take back.
      await Promise.allSettled(stored.map((key) => this.store.delete(key)));
      throw err;
    }
  }

  private async insertRows(tx: EntityManager, row: TaskRow, files: readonly CheckedFile[], uploadedBy: string, now: Date): Promise<StoredRow[]> {
    const input = files.map((f, position) => ({
      position,
      id: f.id,
      filename: f.filename,
      content_type: f.contentType,
      size: f.size,
      sha256: f.sha256,
      storage_key: f.id,
    }));
    return tx.query<StoredRow[]>(
      `INSERT INTO attachments AS a (id, task_id, filename, content_type, size, sha256, storage_key, uploaded_by, created_at, position)
       SELECT r.id, $2, r.filename, r.content_type, r.size, r.sha256, r.storage_key, $3, $4, r.position
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, filename text, content_type text, size int, sha256 text, storage_key text, position smallint)
       RETURNING ${VIEW_COLUMNS}`,
      [JSON.stringify(input), row.id, uploadedBy, now],
    );
  }

  /** The task's files, oldest first; 404 when the caller may not see the task. */
  async list(caller: Caller, taskId: string, page: number, limit: number): Promise<{ items: AttachmentView[]; total: number }> {
    await this.visibleTask(caller, taskId);
    const [[{ total }], rows] = await Promise.all([
      this.db.query<[{ total: number }]>(`SELECT count(*)::int AS total FROM attachments WHERE task_id = $1`, [taskId]),
      this.db.query<StoredRow[]>(`SELECT ${VIEW_COLUMNS} FROM attachments a WHERE a.task_id = $1 ORDER BY a.created_at, a.position, a.id LIMIT $2 OFFSET $3`, [
        taskId,
        limit,
        (page - 1) * limit,
      ]),
    ]);
    return { items: rows.map(toView), total };
  }

  /** A file's bytes, name and type, through the scope of its task; 404 for a file of a task the caller may not see. */
  async download(caller: Caller, id: string): Promise<AttachmentContent> {
    const scope = await scopeOf(this.db.manager, caller);
    const params: unknown[] = [id];
    const [row] = await this.db.query<StoredRow[]>(
      `SELECT ${VIEW_COLUMNS} FROM attachments a JOIN tasks t ON t.id = a.task_id WHERE a.id = $1 AND ${scopeCondition(scope, params)}`,
      params,
    );
    if (!row) throw new AttachmentNotFoundError(id);
    const bytes = await this.store.get(row.storage_key);
    if (!bytes) throw new AttachmentContentMissingError(id);
    return { filename: row.filename, contentType: row.content_type, bytes };
  }

  /**
   * The task's audit chain (TasksService.verifyAudit), then its files against the chain: the
   * chain's verdict when it is broken; else `{valid:false, brokenAt, attachments}` naming each
   * file altered, missing or unaudited, brokenAt the seq of the first entry they contradict.
   */
  async verify(caller: Caller, taskId: string): Promise<EvidenceVerification> {
    const chain = await this.taskService.verifyAudit(caller, taskId);
    if (!chain.valid) return chain;
    const [broken] = (await this.evidence.check([taskId])).broken;
    return broken ? { valid: false, brokenAt: broken.problems[0]!.seq, attachments: broken.problems } : chain;
  }

  private async visibleTask(caller: Caller, taskId: string): Promise<void> {
    const scope = await scopeOf(this.db.manager, caller);
    const params: unknown[] = [taskId];
    const [row] = await this.db.query<Pick<TaskRow, 'id'>[]>(`SELECT t.id FROM tasks t WHERE t.id = $1 AND ${scopeCondition(scope, params)}`, params);
    if (!row) throw new TaskNotFoundError(taskId);
  }
}

/** The files checked and digested before anything is written: the first bad one refuses the upload. */
async function checkFiles(incoming: readonly IncomingFile[]): Promise<CheckedFile[]> {
  if (incoming.length === 0) throw new NoFilesError();
  const files: CheckedFile[] = [];
  for (const file of incoming) {
    const filename = cleanFilename(file.originalName);
    if (file.bytes.length === 0) throw new EmptyFileError(file.path, filename);
    if (file.bytes.length > MAX_ATTACHMENT_BYTES) throw new AttachmentTooLargeError(filename);
    const { type, detected } = await sniffContentType(file.bytes);
    if (!type) throw new AttachmentTypeRefusedError(file.path, filename, detected);
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    files.push({ id: randomUUID(), filename, contentType: type.mime, size: file.bytes.length, sha256, bytes: file.bytes });
  }
  return files;
}

function toView(row: StoredRow): AttachmentView {
  return {
    id: row.id,
    taskId: row.task_id,
    filename: row.filename,
    name: row.filename,
    contentType: row.content_type,
    size: Number(row.size),
    sha256: row.sha256,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at.toISOString(),
  };
}
