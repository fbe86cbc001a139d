import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { canonicalJson, nextLink } from '@duban/audit';
import { databaseNow } from '@duban/db';
import { effectiveDueAt, planTimers } from '@duban/engine';
import { type RunningWorkflow, WorkflowRuntime } from '@duban/workflows';
import { DataSource } from 'typeorm';
import { ImportRejectedError } from './errors.js';
import { type HistoryRecord, type ImportProblem, readHistoryRecord } from './history-record.js';
import type { Caller } from './scope.js';
import { acceptanceFacts, closingFacts, NO_FACTS_YET } from './task-facts.js';
import { TaskStore } from './task-store.js';
import type { TaskFact, TaskInsert } from './task-writes.js';
import type { RequestContext } from './tasks.service.js';
import type { Actor } from './transition.js';

export type { ImportProblem } from './history-record.js';

/** One element of the input: the parsed record, or why its line could not be read. */
export type ImportItem = { value: unknown } | { unreadable: string };

export interface ImportResult {
  imported: number;
  /** Records whose externalRef was imported before: not imported again. */
  skipped: number;
  rejected: { index: number; errors: ImportProblem[] }[];
}

/** Records per INSERT statement: large enough to amortise the round trip, small enough to stay in memory. */
const BATCH = 500;

/** One checked element of the input: a task to insert, or its index and why it was rejected. */
type Checked = { insert: TaskInsert } | { index: number; errors: ImportProblem[] };

/**
 * Historical tasks from an earlier system (POST /tasks/import): each record is checked on its
 * own, with their facts for the reports computed on the workflow's calendar by the functions live
 * transitions use, their dated cards, extensions and returns, one audit entry `imported`, and
 * only the timers still ahead of them; written by TaskStore.insert. A record without an
 * externalRef is known by its content (`import_key`), so a retried file creates nothing twice.
 * Two ways: `import` streams (NDJSON: each bad record rejected alone, the good ones committed by
 * batches of one statement each, all in or all out) and `importAll` is one transaction (a JSON
 * array: one bad record and nothing is written).
 */
@Injectable()
export class TaskImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WorkflowRuntime) private readonly runtime: WorkflowRuntime,
    @Inject(TaskStore) private readonly store: TaskStore,
  ) {}

  /** Checks each element against the organisation and the workflows as they are now. */
  private async checker(caller: Caller, ctx: RequestContext): Promise<(item: ImportItem, index: number) => Promise<Checked>> {
    const departments = new Set(((await this.db.query(`SELECT id FROM departments`)) as { id: string }[]).map((d) => d.id));
    const workflows = new Map<string, Promise<RunningWorkflow | null>>();
    const workflowOf = (key: string) => workflows.get(key) ?? workflows.set(key, this.runtime.latest(key)).get(key)!;
    const actor = { id: caller.id, role: caller.roles.join(',') };
    const now = await databaseNow(this.db);
    return async (item, index) => {
      if ('unreadable' in item) return { index, errors: [{ path: '', message: item.unreadable }] };
      const record = await readHistoryRecord(item.value, departments, workflowOf, now);
      if (Array.isArray(record)) return { index, errors: record };
      return { insert: importedTask(record, randomUUID(), actor, ctx.requestId, now, importKey(item.value, record)) };
    };
  }

  /** Streamed: bad records are rejected alone; good ones go in by batches, each one statement committed on its own. */
  async import(
    caller: Caller,
    items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
    ctx: RequestContext,
    onProgress?: (done: number) => void,
  ): Promise<ImportResult> {
    const result: ImportResult = { imported: 0, skipped: 0, rejected: [] };
    const check = await this.checker(caller, ctx);
    let index = 0;
    let batch: TaskInsert[] = [];
    // One batch is written while the next is read and checked: PostgreSQL and Node work side by side.
    // A failed write is kept, not left as a rejected promise nobody listens to while input is read.
    let writing: Promise<void> = Promise.resolve();
    let failed: { error: unknown } | null = null;
    const written = async () => {
      await writing;
      if (failed) throw failed.error;
    };
    const flush = async () => {
      await written();
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      const done = index;
      // One statement, committed on its own: a batch is all in or all out.
      writing = this.store.insert(this.db.manager, rows).then(
        (inserted) => {
          result.imported += inserted.length;
          result.skipped += rows.length - inserted.length;
          onProgress?.(done);
        },
        (error: unknown) => {
          failed = { error };
        },
      );
    };
    try {
      for await (const item of items) {
        const checked = await check(item, index++);
        if ('errors' in checked) result.rejected.push(checked);
        else batch.push(checked.insert);
        if (batch.length >= BATCH) await flush();
      }
    } catch (err) {
      // The input failed (a line too long, a broken connection): what was read before it goes in, then the failure is answered.
      await flush();
      await written();
      throw err;
    }
    await flush();
    await written();
    return result;
  }

  /**
   * All or nothing: every record is checked first; one rejected and nothing is written (400
   * naming each rejected record by index), otherwise all go in in one transaction.
   * @throws ImportRejectedError
   */
  async importAll(caller: Caller, items: Iterable<ImportItem>, ctx: RequestContext): Promise<ImportResult> {
    const check = await this.checker(caller, ctx);
    const inserts: TaskInsert[] = [];
    const rejected: ImportResult['rejected'] = [];
    let index = 0;
    for (const item of items) {
      const checked = await check(item, index++);
      if ('errors' in checked) rejected.push(checked);
      else inserts.push(checked.insert);
    }
    if (rejected.length > 0) throw new ImportRejectedError(rejected, index);
    const imported = await this.db.transaction(async (tx) => {
      let n = 0;
      for (let i = 0; i < inserts.length; i += BATCH) n += (await this.store.insert(tx, inserts.slice(i, i + BATCH))).length;
      return n;
    });
    return { imported, skipped: inserts.length - imported, rejected: [] };
  }
}

/**
 * How a record without an externalRef is known again: the sha256 of its canonical JSON (key
 * order and spacing do not matter), so the same record imported twice is one task. Two records
 * equal in every field are the same record. Null when the record has an externalRef, which is
 * its key.
 */
export function importKey(value: unknown, record: Pick<HistoryRecord, 'externalRef'>): string | null {
  if (record.externalRef) return null;
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * A historical task as TaskStore inserts it: its facts as they were (acceptance on time, handling
 * working days, closed early), its dated cards, extensions and returns, the audit link `imported`
 * and only the timers still ahead of `now` (the past is not replayed). Pure.
 *
 * Paused time counts toward on time, as for a live task: the due date in force (and judged
 * against: overdue, closed on time, early) is the record's `dueAt` moved on by `pausedWorkingMs`
 * of working time on the workflow's calendar. A task imported in a pauseClock state keeps its
 * `pausedSince`, so resuming it moves the due date on by the working time paused since then.
 */
export function importedTask(r: HistoryRecord, id: string, actor: Actor, requestId: string | null, now: Date, importKey: string | null = null): TaskInsert {
  const { calendar, definition } = r.workflow;
  const dueAt = effectiveDueAt({ dueAt: r.dueAt, pausedWorkingMs: r.pausedWorkingMs }, calendar)!;
  const task = { created_at: r.createdAt, priority: r.priority, paused_working_ms: r.pausedWorkingMs, due_at: dueAt };
  const accepted = r.acceptedAt ? acceptanceFacts(definition, calendar, task, r.acceptedAt) : {};
  const closed = r.closedAt ? closingFacts(calendar, task, r.closedAt) : {};
  const stateEnteredAt = r.closedAt ?? r.pausedSince ?? r.acceptedAt ?? r.createdAt;
  const timers = r.terminal
    ? []
    : planTimers(definition, { state: r.state, createdAt: r.createdAt, stateEnteredAt, dueAt, pausedWorkingMs: 0, priority: r.priority }, calendar, now).filter(
        (t) => t.dueAt > now,
      );
  const fact = (kind: TaskFact['kind']) => (at: Date) => ({ kind, departmentId: r.leads[0]!, at });
  return {
    task: {
      id,
      ref: null,
      workflow_key: r.workflow.key,
      workflow_version: r.workflow.version,
      title: r.title,
      body: null,
      state: r.state,
      state_entered_at: stateEnteredAt,
      parent_id: null,
      external_ref: r.externalRef ?? null,
      import_key: importKey,
      priority: r.priority,
      due_at: dueAt,
      paused_since: r.pausedSince ?? null,
      card: r.cards.some((c) => c.color === 'red') ? 'red' : r.cards.length > 0 ? 'yellow' : null,
      data: r.rating ? { rating: r.rating } : {},
      created_by: actor.id,
      created_at: r.createdAt,
      plan_id: null,
      primary_department_id: r.leads[0]!,
      ...NO_FACTS_YET,
      ...accepted,
      ...closed,
      paused_working_ms: r.pausedWorkingMs,
      rating: r.rating,
      // When the history's rating was given is not known.
      rated_at: null,
      supervising_department_ids: [],
    },
    owners: [...r.leads.map((d) => ({ departmentId: d, role: 'lead' as const })), ...r.cos.map((d) => ({ departmentId: d, role: 'co' as const }))],
    link: importLink(r, id, actor, requestId, now),
    events: [],
    facts: [...r.cards.map((c) => fact(`${c.color}_card`)(c.at)), ...r.extensions.map(fact('extension')), ...r.returns.map(fact('return'))],
    timers,
  };
}

/** The first link of an imported task's chain: what the record said, as given. */
function importLink(r: HistoryRecord, id: string, actor: Actor, requestId: string | null, now: Date) {
  return nextLink(null, {
    taskId: id,
    at: now,
    actorId: actor.id,
    actorRole: actor.role,
    action: 'imported',
    fromState: null,
    toState: r.state,
    data: {
      workflow: `${r.workflow.key}@${r.workflow.version}`,
      ...(r.externalRef ? { externalRef: r.externalRef } : {}),
      leadDepartmentIds: r.leads,
      coDepartmentIds: r.cos,
      createdAt: r.createdAt.toISOString(),
      dueAt: r.dueAt.toISOString(),
      ...(r.acceptedAt ? { acceptedAt: r.acceptedAt.toISOString() } : {}),
      ...(r.closedAt ? { closedAt: r.closedAt.toISOString() } : {}),
      ...(r.rating ? { rating: r.rating } : {}),
      ...(r.pausedWorkingMs ? { pausedWorkingMs: r.pausedWorkingMs, dueAtInForce: effectiveDueAt(r, r.workflow.calendar)!.toISOString() } : {}),
      ...(r.pausedSince ? { pausedSince: r.pausedSince.toISOString() } : {}),
      ...(r.extensions.length ? { extensions: r.extensions.length } : {}),
      ...(r.returns.length ? { returns: r.returns.length } : {}),
      ...(r.cards.length ? { cards: r.cards.map((c) => ({ color: c.color, at: c.at.toISOString() })) } : {}),
    },
    requestId,
  });
}
