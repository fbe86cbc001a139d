import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService, auditInsert, canonicalJson, nextLink, type StoredEntry } from '@duban/audit';
import { CalendarsService } from '@duban/calendars';
import { PG_FOREIGN_KEY, PG_UNIQUE, pgCode, type TaskPriority } from '@duban/db';
import type { BusinessCalendar } from '@duban/calendar';
import { acceptanceDueAt, type ActionInput, allowedActions, decide, limitOf, DEFAULT_CALENDAR, initialDueAt, type PlannedTimer, planTimers, type TaskRole, stateOf, type WorkflowDefinition } from '@duban/engine';
import { WorkflowNotFoundError, WorkflowsService } from '@duban/workflows';
import { InvalidInputError } from '@duban/http';
import { DataSource, type EntityManager } from 'typeorm';
import { ActionForbiddenError, ActionLimitReachedError, ActionNotAllowedError, CreateForbiddenError, DuplicateTaskError, IdempotencyKeyReusedError, StaleVersionError, TaskNotFoundError } from './errors.js';
import { type Caller, type Scope, scopeCondition, scopeOf } from './scope.js';
import { IDEMPOTENCY_WINDOW_HOURS } from './tasks.queue.js';
import { TASK_COLUMNS, type TaskRow, type TaskView, toTaskView } from './task-view.js';

export interface NewTask {
  workflow: string;
  title: string;
  body?: string;
  leadDepartmentIds: string[];
  coDepartmentIds?: string[];
  dueAt?: Date;
  priority?: TaskPriority;
  parentId?: string;
  externalRef?: string;
  data?: Record<string, unknown>;
  /** Set by plan import: the plan the task is an item of. */
  planId?: string;
}

export interface CreationContext {
  key: string;
  version: number;
  definition: WorkflowDefinition;
  calendar: BusinessCalendar;
}

export interface TaskFilter {
  state?: string;
  departmentId?: string;
  workflow?: string;
  overdue?: boolean;
  card?: 'yellow' | 'red' | 'none';
  parentId?: string;
  q?: string;
}

export interface TaskAction extends ActionInput {
  action: string;
  expectedVersion?: number;
}

/** Where a command came from, for the audit trail. */
export interface RequestContext {
  requestId: string | null;
}

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

/** A retried creation answers what the first one did; the transaction is rolled back. */
class Replay {
  constructor(readonly status: number, readonly body: unknown) {}
}

/** Tasks whose pinned workflow version a process remembers (it never changes for a task). */
const PINNED_CACHE_SIZE = 100_000;

@Injectable()
export class TasksService {
  private readonly pinned = new Map<string, Pick<TaskRow, 'workflow_key' | 'workflow_version'>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WorkflowsService) private readonly workflows: WorkflowsService,
    @Inject(CalendarsService) private readonly calendars: CalendarsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async create(caller: Caller, input: NewTask, ctx: RequestContext, idempotencyKey?: string): Promise<{ status: number; body: TaskView | unknown }> {
    // Everything read from other tables is read before the transaction: a transaction that waits
    // for a second pooled connection can starve the pool under load.
    const creation = await this.creationContext(input.workflow);
    const requestHash = createHash('sha256').update(canonicalJson(input)).digest('hex');
    const leads = unique(input.leadDepartmentIds);

    try {
      return await this.db.transaction(async (tx) => {
        if (idempotencyKey) await this.claimIdempotencyKey(tx, caller.id, idempotencyKey, requestHash);
        const scope = await scopeOf(tx, caller);
        // Whoever assigns a task must be able to follow it up: admins, or supervisors of every lead department.
        const outside = scope.all ? [] : leads.filter((d) => !scope.supervised.includes(d));
        if (outside.length > 0) throw new CreateForbiddenError(outside);
        if (input.parentId) {
          const params: unknown[] = [input.parentId];
          const [parent] = await tx.query(`SELECT t.id FROM tasks t WHERE t.id = $1 AND ${scopeCondition(scope, params)}`, params);
          if (!parent) throw new InvalidInputError('parentId', 'no such task');
        }
        const now = nowMs();
        const { id: taskId } = await this.insertWithin(tx, caller, creation, input, ctx, now);
        const view = await this.view(tx, caller, taskId, now);
        if (idempotencyKey) {
          await tx.query(`UPDATE idempotency_keys SET status_code = 201, response = $3::jsonb WHERE user_id = $1 AND key = $2`, [
            caller.id,
            idempotencyKey,
            JSON.stringify(view),
          ]);
        }
        return { status: 201, body: view };
      });
    } catch (err) {
      if (err instanceof Replay) return { status: err.status, body: err.body };
      throw err;
    }
  }

  /** What creating tasks on a workflow needs from other tables; read it before the transaction. */
  async creationContext(workflow: string): Promise<CreationContext> {
    let published;
    try {
      published = await this.workflows.get(workflow);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new InvalidInputError('workflow', `unknown workflow "${workflow}"`);
      throw err;
    }
    const calendar = await this.calendars.calendar(published.definition.calendar ?? DEFAULT_CALENDAR);
    await this.workflows.definitionOf(published.key, published.version);
    return { key: published.key, version: published.version, definition: published.definition, calendar };
  }

  /**
   * Inserts one task in the caller's transaction: the row, its owners, the first audit link, its
   * timers and the task.created event. Access checks are the caller's; the workflow is `creation`'s.
   */
  async insertWithin(tx: EntityManager, caller: Caller, creation: CreationContext, input: NewTask, ctx: RequestContext, now: Date): Promise<{ id: string; ref: string }> {
    const leads = unique(input.leadDepartmentIds);
    const cos = unique(input.coDepartmentIds ?? []);
    if (leads.length === 0) throw new InvalidInputError('leadDepartmentIds', 'name at least one lead department');
    const both = cos.find((d) => leads.includes(d));
    if (both) throw new InvalidInputError('coDepartmentIds', `department ${both} is already a lead`);
    const { definition, calendar } = creation;
    const initial = definition.states.find((s) => s.initial)!;
    const dueAt = input.dueAt ?? initialDueAt(definition, now, calendar, input.priority);
    const [{ ref }] = await tx.query(`SELECT 'DB-' || lpad(nextval('task_ref_seq')::text, 8, '0') AS ref`);
    const [row] = await this.write(input.externalRef, () =>
      tx.query(
        `INSERT INTO tasks (ref, workflow_key, workflow_version, title, body, state, state_entered_at, parent_id, external_ref, priority,
                            due_at, paused_since, data, created_by, created_at, updated_at, plan_id, primary_department_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $7, $7, $15, $16) RETURNING id`,
        [ref, creation.key, creation.version, input.title, input.body ?? null, initial.key, now, input.parentId ?? null, input.externalRef ?? null,
          input.priority ?? 'normal', dueAt, initial.pauseClock ? now : null, JSON.stringify(input.data ?? {}), caller.id, input.planId ?? null, leads[0]],
      ),
    );
    const taskId: string = row.id;
    const owners = [...leads.map((d) => [d, 'lead']), ...cos.map((d) => [d, 'co'])];
    await this.write(input.externalRef, () =>
      tx.query(
        `INSERT INTO task_owners (task_id, department_id, role, position)
         SELECT $1, d.department_id::uuid, d.role, d.position - 1 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS d(department_id, role, position)`,
        [taskId, owners.map((o) => o[0]), owners.map((o) => o[1])],
      ),
    );
    const created = await this.audit.append(tx, {
      taskId,
      at: now,
      actorId: caller.id,
      actorRole: caller.roles.join(','),
      action: 'create',
      fromState: null,
      toState: initial.key,
      data: stripUndefined({
        title: input.title,
        workflow: `${creation.key}@${creation.version}`,
        leadDepartmentIds: leads,
        coDepartmentIds: cos,
        dueAt: dueAt?.toISOString(),
        priority: input.priority ?? 'normal',
        parentId: input.parentId,
        externalRef: input.externalRef,
        planId: input.planId,
      }),
      requestId: ctx.requestId,
    });
    const planned = planTimers(
      definition,
      { state: initial.key, createdAt: now, stateEnteredAt: now, dueAt: initial.pauseClock ? null : dueAt, pausedWorkingMs: 0, priority: input.priority },
      calendar,
      now,
    );
    const params: unknown[] = [taskId, created.seq, created.hash];
    await tx.query(`WITH head AS (UPDATE tasks SET audit_seq = $2, audit_hash = $3 WHERE id = $1), ${timersReplacement(params, planned)} SELECT 1`, params);
    await tx.query(`INSERT INTO outbox (event, task_id, payload) VALUES ('task.created', $1, $2::jsonb)`, [
      taskId,
      JSON.stringify({ taskId, ref, workflow: creation.key, state: initial.key, leadDepartmentIds: leads, coDepartmentIds: cos }),
    ]);
    return { id: taskId, ref };
  }

  async get(caller: Caller, id: string): Promise<TaskView> {
    return this.view(this.db.manager, caller, id, new Date());
  }

  async list(caller: Caller, filter: TaskFilter, page: number, limit: number): Promise<{ items: TaskView[]; total: number }> {
    const scope = await scopeOf(this.db.manager, caller);
    const query = taskListQuery(scope, filter, page, limit);
    // Independent reads: on two pooled connections at once.
    const [[{ total }], rows] = (await Promise.all([this.db.query(query.count, query.params), this.db.query(query.page, query.pageParams)])) as [
      [{ total: number }],
      TaskRow[],
    ];
    // A page holds a few workflow versions: one definition and calendar lookup for each.
    const versions = new Map<string, PinnedVersion>();
    for (const row of rows) {
      const key = `${row.workflow_key}@${row.workflow_version}`;
      if (!versions.has(key)) versions.set(key, await this.pinnedVersion(row.workflow_key, row.workflow_version));
    }
    const now = new Date();
    const items = rows.map((row) => viewOf(caller, scope, row, now, versions.get(`${row.workflow_key}@${row.workflow_version}`)!));
    return { items, total };
  }

  /**
   * One transaction: lock the task (through the caller's scope), ask the engine, update the
   * task, append the audit entry, replace the pending timers, write the outbox events.
   */
  async act(caller: Caller, id: string, input: TaskAction, ctx: RequestContext): Promise<TaskView> {
    // The pinned workflow version and its calendar never change for a task: read them first,
    // so the transaction below uses its own connection only.
    const pinned = await this.pinnedWorkflow(id);
    const { definition, calendar } = await this.pinnedVersion(pinned.workflow_key, pinned.workflow_version);
    return this.db.transaction(async (tx) => {
      const scope = await scopeOf(tx, caller);
      const params: unknown[] = [id];
      const [row] = (await tx.query(
        `SELECT ${TASK_COLUMNS}, t.audit_seq, t.audit_hash, t.accepted_at, t.primary_department_id
           FROM tasks t WHERE t.id = $1 AND ${scopeCondition(scope, params)} FOR UPDATE OF t`,
        params,
      )) as (TaskRow & { audit_seq: number; audit_hash: string | null; accepted_at: Date | null; primary_department_id: string | null })[];
      if (!row) throw new TaskNotFoundError(id);
      const roles = taskRoles(caller, scope, row);
      if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) {
        throw new StaleVersionError(input.expectedVersion, row.version, allowedActions(definition, row.state, roles));
      }
      // Only limited actions (one extension per ticket) cost a look at the task's history.
      const limited = limitOf(definition, row.state, input.action) !== undefined;
      const taken = limited
        ? ((await tx.query(`SELECT count(*)::int AS n FROM audit_entries WHERE task_id = $1 AND action = $2`, [row.id, input.action])) as { n: number }[])[0]!.n
        : 0;
      const decision = decide(definition, row.state, roles, input.action, input, taken);
      if (decision.kind === 'limit-reached') throw new ActionLimitReachedError(input.action, decision.limit, decision.allowedActions);
      if (decision.kind === 'not-allowed') throw new ActionNotAllowedError(input.action, row.state, decision.allowedActions);
      if (decision.kind === 'forbidden') throw new ActionForbiddenError(input.action, decision.allowed);
      if (decision.kind === 'missing-input') throw new InvalidInputError(decision.field, `"${input.action}" needs ${decision.field}`);
      const requires = new Set(decision.transition.requires ?? []);
      for (const [field, requirement] of [['dueAt', 'dueAt'], ['rating', 'rating'], ['progress', 'progress'], ['assigneeId', 'assignee']] as const) {
        if (input[field] !== undefined && input[field] !== null && !requires.has(requirement)) {
          throw new InvalidInputError(field, `"${input.action}" does not take ${field}`);
        }
      }

      const now = nowMs();
      const from = stateOf(definition, row.state)!;
      const to = stateOf(definition, decision.to)!;
      const changes: Record<string, unknown> = {};
      const audit: Record<string, unknown> = {};
      if (input.comment) audit.comment = input.comment;

      let dueAt = row.due_at;
      let pausedSince = row.paused_since;
      if (from.pauseClock && !to.pauseClock && pausedSince && dueAt) {
        // The clock ran again: the due date moves on by the working time spent paused.
        const paused = calendar.workingTimeBetween(pausedSince, now);
        dueAt = calendar.addWorkingTime(dueAt, paused);
        audit.pausedWorkingMs = paused;
        changes.paused_working_ms = row.paused_working_ms + paused;
      }
      if (!from.pauseClock && to.pauseClock) pausedSince = now;
      if (!to.pauseClock) pausedSince = null;
      if (requires.has('dueAt')) {
        const extended = new Date(input.dueAt as string | Date);
        if (Number.isNaN(extended.getTime()) || extended.getTime() <= now.getTime()) throw new InvalidInputError('dueAt', 'must be a date-time in the future');
        audit.dueAt = { from: dueAt?.toISOString() ?? null, to: extended.toISOString() };
        dueAt = extended;
        changes.escalation_level = 0;
      }
      if (dueAt?.getTime() !== row.due_at?.getTime()) changes.due_at = dueAt;
      if (pausedSince?.getTime() !== row.paused_since?.getTime()) changes.paused_since = pausedSince;
      if (requires.has('progress')) {
        const progress = input.progress as number;
        if (!Number.isInteger(progress) || progress < 0 || progress > 100) throw new InvalidInputError('progress', 'must be a whole number from 0 to 100');
        changes.progress = audit.progress = progress;
      }
      if (requires.has('rating')) {
        if (!(RATINGS as readonly unknown[]).includes(input.rating)) throw new InvalidInputError('rating', `must be one of ${RATINGS.join(', ')}`);
        audit.rating = input.rating;
        changes.data = { ...row.data, rating: input.rating };
        changes.rating = input.rating;
      }
      let assigned = false;
      if (requires.has('assignee')) {
        const [user] = await tx.query(`SELECT id FROM users WHERE id = $1 AND department_id = ANY($2::uuid[])`, [
          input.assigneeId,
          row.owners.map((o) => o.departmentId),
        ]);
        if (!user) throw new InvalidInputError('assigneeId', 'must be a user of one of the owning departments');
        changes.assignee_id = audit.assigneeId = input.assigneeId;
        assigned = input.assigneeId !== row.assignee_id;
      }
      const stateChanged = to.key !== from.key;
      if (stateChanged) {
        changes.state = to.key;
        changes.state_entered_at = now;
      }
      if (to.terminal && !from.terminal) {
        changes.closed_at = now;
        // What the reports count, fixed on the task's own calendar when it closes.
        const paused = Number(changes.paused_working_ms ?? row.paused_working_ms);
        changes.handling_working_days = Math.max(0, calendar.workingTimeBetween(row.created_at, now) - paused) / calendar.dayLengthMs;
        changes.closed_early = dueAt ? calendar.localDate(now) < calendar.localDate(dueAt) : null;
      }
      if (!to.terminal && from.terminal) changes.closed_at = changes.handling_working_days = changes.closed_early = null;
      if (input.action === 'accept' && !row.accepted_at) {
        changes.accepted_at = now;
        const limit = acceptanceDueAt(definition, row.created_at, calendar, row.priority);
        changes.accepted_on_time = limit ? now.getTime() <= limit.getTime() : null;
      }
      const happened: string[] = [];
      if (requires.has('dueAt')) happened.push('extension');
      if (input.action === 'return') happened.push('return');

      const stateEnteredAt = stateChanged ? now : row.state_entered_at;
      const planned = planTimers(
        definition,
        { state: to.key, createdAt: row.created_at, stateEnteredAt, dueAt: to.pauseClock ? null : dueAt, pausedWorkingMs: 0, priority: row.priority },
        calendar,
        now,
      );
      // The head comes from the locked row itself: a command that waited for the lock sees the
      // link the previous one appended.
      const entry = nextLink(row.audit_hash ? { seq: row.audit_seq, hash: row.audit_hash } : null, {
        taskId: row.id,
        at: now,
        actorId: caller.id,
        actorRole: roles.join(','),
        action: input.action,
        fromState: from.key,
        toState: to.key,
        data: audit,
        requestId: ctx.requestId,
      });
      const event = { taskId: row.id, ref: row.ref, action: input.action, from: from.key, to: to.key, version: row.version + 1, actorId: caller.id };
      const events: [string, object][] = [['task.transitioned', event]];
      if (to.terminal && !from.terminal) events.push(['task.closed', event]);
      if (assigned) events.push(['task.assigned', { ...event, assigneeId: input.assigneeId }]);

      // Every write of the command in one statement: one round trip between the lock and COMMIT.
      const writes: unknown[] = [id, now];
      const set = Object.entries(changes).map(([column, value]) => {
        const v = value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value;
        return `${column} = $${writes.push(v)}${column === 'data' ? '::jsonb' : ''}`;
      });
      await tx.query(
        `WITH task AS (UPDATE tasks SET ${[...set, 'version = version + 1', 'updated_at = $2', `audit_seq = $${writes.push(entry.seq)}`, `audit_hash = $${writes.push(entry.hash)}`].join(', ')} WHERE id = $1),
              audit AS (${auditInsert(entry, writes)}),
              ${timersReplacement(writes, planned)},
              events AS (INSERT INTO outbox (event, task_id, payload)
                         SELECT e.event, $1, e.payload FROM jsonb_to_recordset($${writes.push(JSON.stringify(events.map(([event, payload]) => ({ event, payload }))))}::jsonb)
                           AS e(event text, payload jsonb)),
              facts AS (INSERT INTO task_events (task_id, department_id, kind, at)
                        SELECT $1, $${writes.push(row.primary_department_id)}::uuid, k, $2 FROM unnest($${writes.push(happened)}::text[]) AS k)
         SELECT 1`,
        writes,
      );
      // The view is the locked row with the changes applied: no second read inside the transaction.
      const updated: TaskRow = { ...row, ...(changes as Partial<TaskRow>), version: row.version + 1 };
      return toTaskView(updated, allowedActions(definition, updated.state, taskRoles(caller, scope, updated)), now, calendar);
    });
  }

  private async pinnedWorkflow(id: string): Promise<Pick<TaskRow, 'workflow_key' | 'workflow_version'>> {
    const cached = this.pinned.get(id);
    if (cached) return cached;
    const [pinned] = (await this.db.query(`SELECT workflow_key, workflow_version FROM tasks WHERE id = $1`, [id])) as Pick<TaskRow, 'workflow_key' | 'workflow_version'>[];
    if (!pinned) throw new TaskNotFoundError(id);
    if (this.pinned.size >= PINNED_CACHE_SIZE) this.pinned.clear();
    this.pinned.set(id, pinned);
    return pinned;
  }

  async auditTrail(caller: Caller, id: string): Promise<StoredEntry[]> {
    await this.visibleRow(this.db.manager, caller, id);
    return this.audit.entries(id);
  }

  async verifyAudit(caller: Caller, id: string) {
    await this.visibleRow(this.db.manager, caller, id);
    return this.audit.verifyTask(id);
  }

  private async visibleRow(db: EntityManager, caller: Caller, id: string): Promise<{ row: TaskRow; scope: Scope }> {
    const scope = await scopeOf(db, caller);
    const params: unknown[] = [id];
    const [row] = (await db.query(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 AND ${scopeCondition(scope, params)}`, params)) as TaskRow[];
    if (!row) throw new TaskNotFoundError(id);
    return { row, scope };
  }

  private async view(db: EntityManager, caller: Caller, id: string, now: Date): Promise<TaskView> {
    const { row, scope } = await this.visibleRow(db, caller, id);
    return viewOf(caller, scope, row, now, await this.pinnedVersion(row.workflow_key, row.workflow_version));
  }

  /** The calendar a task's deadlines and light are counted on: its pinned workflow version's. */
  async calendarOf(workflowKey: string, workflowVersion: number): Promise<BusinessCalendar> {
    return (await this.pinnedVersion(workflowKey, workflowVersion)).calendar;
  }

  private async pinnedVersion(workflowKey: string, workflowVersion: number): Promise<PinnedVersion> {
    const definition = await this.workflows.definitionOf(workflowKey, workflowVersion);
    return { definition, calendar: await this.calendars.calendar(definition.calendar ?? DEFAULT_CALENDAR) };
  }

  /** Removes Idempotency-Key records older than the window; returns how many. */
  async purgeIdempotencyKeys(): Promise<number> {
    const result = await this.db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [IDEMPOTENCY_WINDOW_HOURS]);
    return result[1] ?? 0;
  }

  private async claimIdempotencyKey(tx: EntityManager, userId: string, key: string, requestHash: string): Promise<void> {
    const claimed: unknown[] = await tx.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response) VALUES ($1, $2, $3, 0, 'null')
       ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status_code = 0, response = 'null', created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(hours => $4)
       RETURNING key`,
      [userId, key, requestHash, IDEMPOTENCY_WINDOW_HOURS],
    );
    if (claimed.length > 0) return;
    // The first request committed (the insert above waited for it): answer what it answered.
    const [first] = await tx.query(`SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`, [userId, key]);
    if (first.request_hash !== requestHash) throw new IdempotencyKeyReusedError();
    throw new Replay(first.status_code, first.response);
  }

  private async write<T>(externalRef: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (pgCode(err) === PG_UNIQUE && externalRef) throw new DuplicateTaskError(externalRef);
      if (pgCode(err) === PG_FOREIGN_KEY) throw new InvalidInputError('leadDepartmentIds', 'names a department that does not exist');
      throw err;
    }
  }
}

/**
 * CTEs replacing a task's pending timers ($1 is the task id) with the planned ones: planned keys
 * that exist stay as they are (or come back if cancelled), pending ones no longer planned are
 * cancelled, fired ones are history and untouched. The two touch disjoint rows.
 */
function timersReplacement(params: unknown[], planned: PlannedTimer[]): string {
  const keys = `$${params.push(planned.map((t) => t.key))}::text[]`;
  const rows = `$${params.push(JSON.stringify(planned.map((t) => ({ key: t.key, kind: t.kind, due_at: t.dueAt.toISOString(), notify: t.notify, level: t.level ?? null, card: t.card ?? null }))))}::jsonb`;
  return `cancelled AS (UPDATE timers SET status = 'cancelled' WHERE task_id = $1 AND status IN ('pending', 'enqueued') AND NOT (key = ANY(${keys}))),
          planned AS (INSERT INTO timers (task_id, key, kind, due_at, notify, level, card)
                      SELECT $1, p.key, p.kind, p.due_at, p.notify, p.level, p.card
                        FROM jsonb_to_recordset(${rows}) AS p(key text, kind text, due_at timestamptz, notify text[], level int, card text)
                      ON CONFLICT (task_id, key) DO UPDATE SET status = 'pending', due_at = EXCLUDED.due_at WHERE timers.status = 'cancelled')`;
}

/**
 * The SQL of GET /tasks: one page in a stable order (newest first, id breaking ties) and the
 * total, both through the caller's scope. Exported so that a test can EXPLAIN exactly this.
 *
 * One department's list (a lead's or handler's own, or an admin's `departmentId=`) is read from
 * task_owners, whose rows carry the columns these filters need: the total is an index-only scan
 * of that department's entries and the page touches tasks only for its own rows. Everything else
 * goes through the owner arrays on tasks.
 */
export function taskListQuery(scope: Scope, filter: TaskFilter, page: number, limit: number) {
  const department = listDepartment(scope, filter);
  return department === null ? tasksListQuery(scope, filter, page, limit) : departmentListQuery(department, filter, page, limit);
}

function listDepartment(scope: Scope, filter: TaskFilter): string | null {
  if (scope.all) return filter.departmentId ?? null;
  const ownOnly = scope.ownDepartment !== null && scope.supervised.length === 0;
  return ownOnly && (filter.departmentId === undefined || filter.departmentId === scope.ownDepartment) ? scope.ownDepartment : null;
}

/** The conditions on the list's columns, over alias `a` (tasks or task_owners: the same names). */
function listConditions(a: 't' | 'o', filter: TaskFilter, params: unknown[]): string[] {
  const where: string[] = [];
  if (filter.state) where.push(`${a}.state = $${params.push(filter.state)}`);
  if (filter.workflow) where.push(`${a}.workflow_key = $${params.push(filter.workflow)}`);
  if (filter.card === 'none') where.push(`${a}.card IS NULL`);
  else if (filter.card) where.push(`${a}.card = $${params.push(filter.card)}`);
  const overdue = `(${a}.closed_at IS NULL AND ${a}.paused_since IS NULL AND ${a}.due_at < now())`;
  if (filter.overdue === true) where.push(overdue);
  if (filter.overdue === false) where.push(`NOT ${overdue}`);
  return where;
}

/** The conditions only tasks can answer, over alias `t`. */
function taskOnlyConditions(filter: TaskFilter, params: unknown[]): string[] {
  const where: string[] = [];
  if (filter.parentId) where.push(`t.parent_id = $${params.push(filter.parentId)}::uuid`);
  if (filter.q) where.push(`t.title ILIKE $${params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  return where;
}

function tasksListQuery(scope: Scope, filter: TaskFilter, page: number, limit: number) {
  const params: unknown[] = [];
  const where = [scopeCondition(scope, params)];
  if (filter.departmentId) where.push(`t.owner_department_ids @> ARRAY[$${params.push(filter.departmentId)}::uuid]`);
  const clause = [...where, ...listConditions('t', filter, params), ...taskOnlyConditions(filter, params)].join(' AND ');
  return {
    count: `SELECT count(*)::int AS total FROM tasks t WHERE ${clause}`,
    params,
    page: `SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${clause} ORDER BY t.created_at DESC, t.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    pageParams: [...params, limit, (page - 1) * limit],
  };
}

function departmentListQuery(department: string, filter: TaskFilter, page: number, limit: number) {
  const params: unknown[] = [department];
  const onTasks = taskOnlyConditions(filter, params);
  const clause = ['o.department_id = $1::uuid', ...listConditions('o', filter, params), ...onTasks].join(' AND ');
  const from = onTasks.length > 0 ? 'task_owners o JOIN tasks t ON t.id = o.task_id' : 'task_owners o';
  return {
    count: `SELECT count(*)::int AS total FROM ${from} WHERE ${clause}`,
    params,
    page: `SELECT ${TASK_COLUMNS}
             FROM (SELECT o.task_id, o.created_at FROM ${from} WHERE ${clause}
                    ORDER BY o.created_at DESC, o.task_id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}) p
             JOIN tasks t ON t.id = p.task_id
            ORDER BY p.created_at DESC, p.task_id DESC`,
    pageParams: [...params, limit, (page - 1) * limit],
  };
}

/** A task's workflow version, as it was pinned at creation, and the calendar it counts time on. */
interface PinnedVersion {
  definition: WorkflowDefinition;
  calendar: BusinessCalendar;
}

/** The task as this caller sees it: what it may do now and the light on the task's calendar. */
function viewOf(caller: Caller, scope: Scope, row: TaskRow, now: Date, { definition, calendar }: PinnedVersion): TaskView {
  return toTaskView(row, allowedActions(definition, row.state, taskRoles(caller, scope, row)), now, calendar);
}

/** The caller's roles on this task, in the vocabulary of workflow definitions. */
export function taskRoles(caller: Caller, scope: Scope, row: Pick<TaskRow, 'owners' | 'assignee_id' | 'created_by'>): TaskRole[] {
  const roles: TaskRole[] = [];
  const works = caller.departmentId !== null && (caller.roles.includes('lead') || caller.roles.includes('handler'));
  if (works && row.owners.some((o) => o.role === 'lead' && o.departmentId === caller.departmentId)) roles.push('owner');
  if (works && row.owners.some((o) => o.role === 'co' && o.departmentId === caller.departmentId)) roles.push('co-owner');
  if (row.assignee_id === caller.id) roles.push('assignee');
  if (caller.roles.includes('supervisor') && row.owners.some((o) => o.role === 'lead' && scope.supervised.includes(o.departmentId))) roles.push('supervisor');
  if (row.created_by === caller.id) roles.push('creator');
  if (caller.roles.includes('admin')) roles.push('admin');
  return roles;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function stripUndefined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

/** Now, to the millisecond: what is stored is exactly what is hashed and returned. */
function nowMs(): Date {
  return new Date(Date.now());
}
