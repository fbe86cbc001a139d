import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { nextLink, type StoredEntry, auditInsert } from '@duban/audit';
import type { BusinessCalendar } from '@duban/calendar';
import { CalendarsService } from '@duban/calendars';
import { acceptanceDueAt, DEFAULT_CALENDAR, planTimers, type WorkflowDefinition } from '@duban/engine';
import { WorkflowNotFoundError, WorkflowsService } from '@duban/workflows';
import { DataSource } from 'typeorm';
import type { Caller } from './scope.js';
import { RATINGS, type RequestContext } from './tasks.service.js';

/** One element of the input: the parsed record, or why its line could not be read. */
export type ImportItem = { value: unknown } | { unreadable: string };

export interface ImportProblem {
  path: string;
  message: string;
}

export interface ImportResult {
  imported: number;
  /** Records whose externalRef was imported before: not imported again. */
  skipped: number;
  rejected: { index: number; errors: ImportProblem[] }[];
}

/** Records per INSERT statement: large enough to amortise the round trip, small enough to stay in memory. */
const BATCH = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Workflow {
  key: string;
  version: number;
  definition: WorkflowDefinition;
  calendar: BusinessCalendar;
}

interface Row {
  task: Record<string, unknown>;
  owners: { task_id: string; department_id: string; role: 'lead' | 'co'; position: number }[];
  entry: StoredEntry;
  events: { task_id: string; department_id: string; kind: string; at: string }[];
  timers: { task_id: string; key: string; kind: string; due_at: string; notify: string[]; level: number | null; card: string | null }[];
}

/**
 * Historical tasks from an earlier system (POST /tasks/import): each record is checked on its
 * own, the good ones go in by batches of one statement each, with their facts for the reports
 * computed on the workflow's calendar, their dated cards, extensions and returns, one audit
 * entry `imported`, and only the timers still ahead of them. Input is consumed as it streams.
 */
@Injectable()
export class TaskImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WorkflowsService) private readonly workflows: WorkflowsService,
    @Inject(CalendarsService) private readonly calendars: CalendarsService,
  ) {}

  async import(caller: Caller, items: AsyncIterable<ImportItem> | Iterable<ImportItem>, ctx: RequestContext, onProgress?: (done: number) => void): Promise<ImportResult> {
    const result: ImportResult = { imported: 0, skipped: 0, rejected: [] };
    const departments = new Set(((await this.db.query(`SELECT id FROM departments`)) as { id: string }[]).map((d) => d.id));
    const workflows = new Map<string, Workflow | null>();
    const workflowOf = async (key: string): Promise<Workflow | null> => {
      if (!workflows.has(key)) {
        try {
          const published = await this.workflows.get(key);
          const calendar = await this.calendars.calendar(published.definition.calendar ?? DEFAULT_CALENDAR);
          workflows.set(key, { key: published.key, version: published.version, definition: published.definition, calendar });
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          workflows.set(key, null);
        }
      }
      return workflows.get(key)!;
    };

    let index = 0;
    let batch: Row[] = [];
    // One batch is written while the next is read and checked: PostgreSQL and Node work side by side.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      await writing;
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      const done = index;
      writing = this.insert(rows).then((inserted) => {
        result.imported += inserted;
        result.skipped += rows.length - inserted;
        onProgress?.(done);
      });
    };
    const now = new Date();
    for await (const item of items) {
      const at = index++;
      if ('unreadable' in item) {
        result.rejected.push({ index: at, errors: [{ path: '', message: item.unreadable }] });
        continue;
      }
      const errors: ImportProblem[] = [];
      const row = await this.row(item.value, caller, ctx, now, departments, workflowOf, errors);
      if (!row) {
        result.rejected.push({ index: at, errors });
        continue;
      }
      batch.push(row);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    await writing;
    return result;
  }

  /** Checks one record and builds its rows; null (with `errors` filled) when it cannot go in. */
  private async row(
    value: unknown,
    caller: Caller,
    ctx: RequestContext,
    now: Date,
    departments: Set<string>,
    workflowOf: (key: string) => Promise<Workflow | null>,
    errors: ImportProblem[],
  ): Promise<Row | null> {
    const fail = (path: string, message: string) => {
      errors.push({ path, message });
      return undefined;
    };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail('', 'must be a JSON object');
      return null;
    }
    const r = value as Record<string, unknown>;
    const text = (field: string, max: number, required: boolean) => {
      const v = r[field];
      if (v === undefined || v === null) return required ? fail(field, 'is required') : undefined;
      if (typeof v !== 'string' || v.trim() === '') return fail(field, 'must be a non-empty text');
      if (v.length > max) return fail(field, `must be at most ${max} characters`);
      return v;
    };
    const date = (field: string, required: boolean, v: unknown = r[field], path = field) => {
      if (v === undefined || v === null) return required ? fail(path, 'is required') : undefined;
      const d = typeof v === 'string' ? new Date(v) : undefined;
      if (!d || Number.isNaN(d.getTime())) return fail(path, 'must be an ISO 8601 date-time');
      return d;
    };
    const departmentList = (field: string, required: boolean) => {
      const v = r[field];
      if (v === undefined || v === null) return required ? fail(field, 'is required') : [];
      if (!Array.isArray(v) || (required && v.length === 0)) return fail(field, 'must be a non-empty list of department ids');
      const ids: string[] = [];
      v.forEach((id, i) => {
        if (typeof id !== 'string' || !UUID.test(id)) return fail(`${field}[${i}]`, 'must be a department id (uuid)');
        if (!departments.has(id.toLowerCase())) return fail(`${field}[${i}]`, `unknown department ${id}`);
        if (!ids.includes(id.toLowerCase())) ids.push(id.toLowerCase());
      });
      return ids;
    };
    /** A count dated at creation, or a list of dated occurrences. */
    const occurrences = (field: string, createdAt: Date | undefined) => {
      const v = r[field];
      if (v === undefined || v === null || v === false) return [];
      if (v === true) return createdAt ? [createdAt] : [];
      if (typeof v === 'number') {
        if (!Number.isInteger(v) || v < 0 || v > 1000) return fail(field, 'must be a count from 0 to 1000, or a list of {at}');
        return createdAt ? Array.from({ length: v }, () => createdAt) : [];
      }
      if (!Array.isArray(v)) return fail(field, 'must be a count or a list of {at}');
      return v.map((o, i) => date(`${field}[${i}].at`, true, (o as { at?: unknown } | null)?.at, `${field}[${i}].at`)).filter((d): d is Date => d !== undefined);
    };

    const workflowKey = text('workflow', 64, true);
    const workflow = workflowKey ? await workflowOf(workflowKey) : null;
    if (workflowKey && !workflow) fail('workflow', `unknown workflow "${workflowKey}"`);
    const title = text('title', 500, true);
    const leads = departmentList('leadDepartmentIds', true);
    const cos = (departmentList('coDepartmentIds', false) ?? []).filter((d) => !leads?.includes(d));
    const externalRef = text('externalRef', 200, false);
    const createdAt = date('createdAt', true);
    const dueAt = date('dueAt', true);
    const acceptedAt = date('acceptedAt', false);
    const closedAt = date('closedAt', false);
    const state = text('state', 64, true);
    const stateDef = workflow && state ? workflow.definition.states.find((s) => s.key === state) : undefined;
    if (workflow && state && !stateDef) fail('state', `"${workflow.key}" has no state "${state}"`);
    if (stateDef?.terminal && !closedAt) fail('closedAt', `is required for a task in the final state "${state}"`);
    if (stateDef && !stateDef.terminal && closedAt) fail('closedAt', `a task in "${state}" is not closed; leave closedAt out or give a final state`);
    if (createdAt && closedAt && closedAt < createdAt) fail('closedAt', 'must not be before createdAt');
    if (createdAt && acceptedAt && acceptedAt < createdAt) fail('acceptedAt', 'must not be before createdAt');
    if (createdAt && dueAt && dueAt < createdAt) fail('dueAt', 'must not be before createdAt');
    const priority = r.priority ?? 'normal';
    if (priority !== 'normal' && priority !== 'urgent') fail('priority', 'must be normal or urgent');
    const rating = r.rating ?? null;
    if (rating !== null && !(RATINGS as readonly unknown[]).includes(rating)) fail('rating', `must be one of ${RATINGS.join(', ')}`);
    const pausedWorkingMs = r.pausedWorkingMs ?? 0;
    if (typeof pausedWorkingMs !== 'number' || !Number.isInteger(pausedWorkingMs) || pausedWorkingMs < 0) fail('pausedWorkingMs', 'must be a whole number of milliseconds, 0 or more');
    const extensions = occurrences('extensions', createdAt);
    const returns = occurrences('returned', createdAt);
    const cards: { color: 'yellow' | 'red'; at: Date }[] = [];
    if (r.cards !== undefined && r.cards !== null) {
      if (!Array.isArray(r.cards)) fail('cards', 'must be a list of {color, at}');
      else
        r.cards.forEach((c, i) => {
          const color = (c as { color?: unknown } | null)?.color;
          if (color !== 'yellow' && color !== 'red') return fail(`cards[${i}].color`, 'must be yellow or red');
          const at = date(`cards[${i}].at`, true, (c as { at?: unknown }).at, `cards[${i}].at`);
          if (at) cards.push({ color, at });
        });
    }
    if (errors.length > 0 || !workflow || !title || !leads || !createdAt || !dueAt || !state || !stateDef || !extensions || !returns) {
      if (errors.length === 0) fail('', 'cannot be imported');
      return null;
    }

    const { calendar, definition } = workflow;
    const id = randomUUID();
    const paused = pausedWorkingMs as number;
    const acceptBy = acceptedAt ? acceptanceDueAt(definition, createdAt, calendar, priority as 'normal' | 'urgent') : null;
    const card = cards.some((c) => c.color === 'red') ? 'red' : cards.length > 0 ? 'yellow' : null;
    const entry = nextLink(null, {
      taskId: id,
      at: now,
      actorId: caller.id,
      actorRole: caller.roles.join(','),
      action: 'imported',
      fromState: null,
      toState: state,
      data: {
        workflow: `${workflow.key}@${workflow.version}`,
        ...(externalRef ? { externalRef } : {}),
        leadDepartmentIds: leads,
        coDepartmentIds: cos,
        createdAt: createdAt.toISOString(),
        dueAt: dueAt.toISOString(),
        ...(acceptedAt ? { acceptedAt: acceptedAt.toISOString() } : {}),
        ...(closedAt ? { closedAt: closedAt.toISOString() } : {}),
        ...(rating ? { rating } : {}),
        ...(paused ? { pausedWorkingMs: paused } : {}),
        ...(extensions.length ? { extensions: extensions.length } : {}),
        ...(returns.length ? { returns: returns.length } : {}),
        ...(cards.length ? { cards: cards.map((c) => ({ color: c.color, at: c.at.toISOString() })) } : {}),
      },
      requestId: ctx.requestId,
    });
    const stateEnteredAt = closedAt ?? acceptedAt ?? createdAt;
    // The past is not replayed: only timers still ahead of the task are planned.
    const timers = stateDef.terminal
      ? []
      : planTimers(definition, { state, createdAt, stateEnteredAt, dueAt, pausedWorkingMs: 0, priority: priority as 'normal' | 'urgent' }, calendar, now)
          .filter((t) => t.dueAt > now)
          .map((t) => ({ task_id: id, key: t.key, kind: t.kind, due_at: t.dueAt.toISOString(), notify: t.notify, level: t.level ?? null, card: t.card ?? null }));
    const event = (kind: string) => (at: Date) => ({ task_id: id, department_id: leads[0]!, kind, at: at.toISOString() });
    return {
      task: {
        id,
        workflow_key: workflow.key,
        workflow_version: workflow.version,
        title,
        state,
        state_entered_at: stateEnteredAt.toISOString(),
        external_ref: externalRef ?? null,
        priority,
        due_at: dueAt.toISOString(),
        card,
        data: rating ? { rating } : {},
        created_by: caller.id,
        created_at: createdAt.toISOString(),
        closed_at: closedAt?.toISOString() ?? null,
        primary_department_id: leads[0],
        accepted_at: acceptedAt?.toISOString() ?? null,
        accepted_on_time: acceptBy ? acceptedAt!.getTime() <= acceptBy.getTime() : null,
        paused_working_ms: paused,
        handling_working_days: closedAt ? Math.max(0, calendar.workingTimeBetween(createdAt, closedAt) - paused) / calendar.dayLengthMs : null,
        closed_early: closedAt ? calendar.localDate(closedAt) < calendar.localDate(dueAt) : null,
        rating,
        audit_hash: entry.hash,
      },
      owners: [...leads.map((d, i) => ({ task_id: id, department_id: d, role: 'lead' as const, position: i })), ...cos.map((d, i) => ({ task_id: id, department_id: d, role: 'co' as const, position: leads.length + i }))],
      entry,
      events: [...cards.map((c) => event(`${c.color}_card`)(c.at)), ...extensions.map(event('extension')), ...returns.map(event('return'))],
      timers,
    };
  }

  /** One statement per batch; rows of records whose externalRef was already there are left out everywhere. */
  private async insert(batch: Row[]): Promise<number> {
    const params: unknown[] = [
      JSON.stringify(batch.map((r) => r.task)),
      JSON.stringify(batch.flatMap((r) => r.owners)),
      JSON.stringify(batch.flatMap((r) => r.events)),
      JSON.stringify(batch.flatMap((r) => r.timers)),
    ];
    const [{ imported }] = await this.db.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, workflow_key text, workflow_version int, title text, state text, state_entered_at timestamptz,
           external_ref text, priority text, due_at timestamptz, card text, data jsonb, created_by uuid, created_at timestamptz, closed_at timestamptz,
           primary_department_id uuid, accepted_at timestamptz, accepted_on_time boolean, paused_working_ms bigint, handling_working_days float8,
           closed_early boolean, rating text, audit_hash text)),
       ins AS (
         INSERT INTO tasks (id, ref, workflow_key, workflow_version, title, state, state_entered_at, external_ref, priority, due_at, card, data,
                            created_by, created_at, updated_at, closed_at, primary_department_id, accepted_at, accepted_on_time, paused_working_ms,
                            handling_working_days, closed_early, rating, audit_seq, audit_hash)
         SELECT id, 'DB-' || lpad(nextval('task_ref_seq')::text, 8, '0'), workflow_key, workflow_version, title, state, state_entered_at, external_ref,
                priority, due_at, card, data, created_by, created_at, coalesce(closed_at, created_at), closed_at, primary_department_id, accepted_at,
                accepted_on_time, paused_working_ms, handling_working_days, closed_early, rating, 1, audit_hash
           FROM input
         ON CONFLICT (external_ref) DO NOTHING
         RETURNING id),
       owners AS (
         INSERT INTO task_owners (task_id, department_id, role, position)
         SELECT o.task_id, o.department_id, o.role, o.position FROM jsonb_to_recordset($2::jsonb) AS o(task_id uuid, department_id uuid, role text, position smallint)
          WHERE o.task_id IN (SELECT id FROM ins)),
       events AS (
         INSERT INTO task_events (task_id, department_id, kind, at)
         SELECT e.task_id, e.department_id, e.kind, e.at FROM jsonb_to_recordset($3::jsonb) AS e(task_id uuid, department_id uuid, kind text, at timestamptz)
          WHERE e.task_id IN (SELECT id FROM ins)),
       timers AS (
         INSERT INTO timers (task_id, key, kind, due_at, notify, level, card)
         SELECT t.task_id, t.key, t.kind, t.due_at, t.notify, t.level, t.card
           FROM jsonb_to_recordset($4::jsonb) AS t(task_id uuid, key text, kind text, due_at timestamptz, notify text[], level int, card text)
          WHERE t.task_id IN (SELECT id FROM ins)),
       audit AS (${auditInsert(batch.map((r) => r.entry), params, 'SELECT id FROM ins')})
       SELECT count(*)::int AS imported FROM ins`,
      params,
    );
    return imported;
  }
}
