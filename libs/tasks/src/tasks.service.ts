import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService, canonicalJson } from '@duban/audit';
import { databaseNow, PG_FOREIGN_KEY, pgCode } from '@duban/db';
import {
  type ActionInput,
  allowedActions,
  BUILT_IN_ACTS,
  type BuiltInAct,
  builtInActsAllowed,
  type Card,
  decide,
  decideAct,
  isBuiltInAct,
  limitOf,
  stateOf,
  type TaskRole,
  type WorkflowDefinition,
  waitsForChildren,
} from '@duban/engine';
import { InvalidInputError } from '@duban/http';
import { type RunningWorkflow, WorkflowRuntime } from '@duban/workflows';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarError } from '@duban/calendar';
import { applyAct } from './acts.js';
import { checkBelow, childTask, lockParent, maySplit, openChildren, splitterOf } from './children.js';
import { type AuditActor, type AuditEntryView, auditEntryView } from './audit-view.js';
import { checkNewDueAt, createdTask, type NewTask } from './creation.js';
import { revisedTask, type TaskRevision, withdrawnTask } from './plan-revision.js';
import {
  ActionForbiddenError,
  CardNotHigherError,
  NoCardToWithdrawError,
  UrgedRecentlyError,
  ActionLimitReachedError,
  ActionNotAllowedError,
  ActionOutsideWindowError,
  ChildrenOpenError,
  ActionUnknownError,
  CoOwnersForbiddenError,
  CreateForbiddenError,
  DueAtOutOfRangeError,
  DuplicateTaskError,
  IdempotencyKeyReusedError,
  MissingInputError,
  ParentClosedError,
  SplitForbiddenError,
  StaleVersionError,
  TaskNotFoundError,
} from './errors.js';
import { assignableOutside, type Caller, type Scope, scopeCondition, scopeOf, taskRoles } from './scope.js';
import { awaitingOf, type TaskFilter, taskListQuery, taskSummaryQuery } from './task-list.js';
import { readTaskNames } from './task-names.js';
import { TASK_COLUMNS, type TaskRow } from './task-row.js';
import { type ClockOf, familyOf, familyRows, type PageFamily } from './task-family.js';
import { TaskStore } from './task-store.js';
import { actionView, type TaskNames, type TaskView, toTaskView, type WorkingClock } from './task-view.js';
import { IDEMPOTENCY_WINDOW_HOURS } from './tasks.queue.js';
import { actionClock, type AppliedTransition, applyTransition, type DecidedTransition } from './transition.js';

/** GET /tasks as its query gives it: `awaiting=me` is worked out for the caller (awaitingOf). */
export type TaskListFilter = Omit<TaskFilter, 'awaiting'> & { awaiting?: 'me' };

/** One row of the supervisor's desk (GET /tasks/summary): a department's open tasks counted. */
export interface DepartmentSummary {
  departmentId: string;
  departmentName: string;
  open: number;
  green: number;
  yellow: number;
  red: number;
  overdue: number;
  yellowCards: number;
  redCards: number;
}

export type SummaryCounts = Omit<DepartmentSummary, 'departmentId' | 'departmentName'>;

export interface TaskAction extends ActionInput {
  action: string;
  /** The colour of a card by hand (the built-in act `card`): yellow or red. */
  card?: string | null;
  expectedVersion?: number;
  /** Files of this task the action carries (a progress report's photos, the signed reply letter). */
  attachmentIds?: string[];
}

/** Where a command came from, for the audit trail. */
export interface RequestContext {
  requestId: string | null;
}

/** A retried creation answers what the first one did: thrown to roll the transaction back, caught by create. */
class Replay extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('idempotent replay');
  }
}

/** Tasks whose pinned workflow version a process remembers (it never changes for a task). */
const PINNED_CACHE_SIZE = 100_000;

type Pinned = Pick<TaskRow, 'workflow_key' | 'workflow_version'>;

/**
 * Tasks as their users see and move them: creation, the scoped list and view, actions. Each
 * command reads what it needs, lets the pure rules decide (engine `decide`, `applyTransition`,
 * `createdTask`) and hands the result to TaskStore, the one writer.
 */
@Injectable()
export class TasksService {
  private readonly pinned = new Map<string, Pinned>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WorkflowRuntime) private readonly runtime: WorkflowRuntime,
    @Inject(TaskStore) private readonly store: TaskStore,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async create(caller: Caller, input: NewTask, ctx: RequestContext, idempotencyKey?: string): Promise<{ status: number; body: unknown }> {
    // Everything read from other tables is read before the transaction: a transaction that waits
    // for a second pooled connection can starve the pool under load.
    const workflow = await this.runtime.named(input.workflow);
    const requestHash = createHash('sha256').update(canonicalJson(input)).digest('hex');
    try {
      return await this.db.transaction(async (tx) => {
        if (idempotencyKey) await this.claimIdempotencyKey(tx, caller.id, idempotencyKey, requestHash);
        const task = await this.checkCreation(tx, caller, input, workflow.calendar.timezone);
        const now = await databaseNow(tx);
        checkNewDueAt(task.dueAt, now);
        const [created] = await this.insertWithin(tx, caller, workflow, [task], ctx, now);
        // On the workflow read above: a lookup here would want a second pooled connection while
        // this transaction holds one, and a burst of creations would starve the pool.
        const view = await this.view(tx, caller, created!.id, now, workflow);
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

  /**
   * Whoever assigns a task must be able to follow it up: admins, or supervisors of every lead and
   * co-owning department. A child (parentId) names a parent the caller may see and that is open;
   * a lead of the parent's lead department may also split it among departments below its own
   * (分解), a handler or co-owner of the parent may not. The task as it will be created: a child
   * due by its parent's date at the latest, supervised by the parent's lead departments.
   * @throws CreateForbiddenError, CoOwnersForbiddenError, SplitForbiddenError, SplitOutsideError (403);
   *   InvalidInputError (parentId) for a parent not seen, ChildDueAfterParentError (400); ParentClosedError (409).
   */
  private async checkCreation(tx: EntityManager, caller: Caller, input: NewTask, timezone: string): Promise<NewTask> {
    const scope = await scopeOf(tx, caller);
    const parent = input.parentId ? await lockParent(tx, scope, input.parentId) : null;
    if (input.parentId && !parent) throw new InvalidInputError('parentId', '上级任务不存在或您无权查看。No such task.');
    if (parent?.closed_at) throw new ParentClosedError(parent);
    const outside = assignableOutside(scope, { lead: input.leadDepartmentIds, co: input.coDepartmentIds ?? [] });
    const splitter = parent && (outside.lead.length > 0 || outside.co.length > 0) ? splitterOf(caller, parent) : 'outsider';
    if (parent && splitter === 'member') throw new SplitForbiddenError(parent);
    if (parent && splitter === 'lead') await checkBelow(tx, caller.departmentId!, input);
    else if (outside.lead.length > 0) throw new CreateForbiddenError(outside.lead);
    else if (outside.co.length > 0) {
      const names = await tx.query<{ id: string; name: string }[]>(`SELECT id, name FROM departments WHERE id = ANY($1::uuid[])`, [outside.co]);
      throw new CoOwnersForbiddenError(outside.co.map((id) => ({ id, name: names.find((n) => n.id === id)?.name ?? null })));
    }
    return parent ? childTask(input, parent, timezone) : input;
  }

  /**
   * Inserts new tasks on `workflow` in the caller's transaction, in one statement: rows, owners,
   * first audit links, timers and task.created events. Access checks are the caller's.
   * @throws DuplicateTaskError (409) when an externalRef exists; InvalidInputError for an unknown department.
   */
  async insertWithin(
    tx: EntityManager,
    caller: Caller,
    workflow: RunningWorkflow,
    inputs: readonly NewTask[],
    ctx: RequestContext,
    now: Date,
  ): Promise<{ id: string; ref: string }[]> {
    const refs = await this.store.allocateRefs(tx, inputs.length);
    const actor = { id: caller.id, role: caller.roles.join(',') };
    const inserts = inputs.map((input, i) =>
      withinCalendar(input.dueAt, () => createdTask(workflow, input, { id: input.id ?? randomUUID(), ref: refs[i]! }, actor, ctx.requestId, now)),
    );
    let inserted: string[];
    try {
      inserted = await this.store.insert(tx, inserts);
    } catch (err) {
      if (pgCode(err) === PG_FOREIGN_KEY) throw new InvalidInputError('leadDepartmentIds', '含有不存在的单位。Names a department that does not exist.');
      throw err;
    }
    // Only a task whose externalRef exists already is left out.
    const missing = inserts.find((i) => !inserted.includes(i.task.id));
    if (missing) throw new DuplicateTaskError(missing.task.external_ref!);
    return inserts.map((i) => ({ id: i.task.id, ref: i.task.ref! }));
  }

  /**
   * A revised plan's writes to existing tasks (plan-revision.ts), in the caller's transaction:
   * each task locked (in id order, whatever the caller's scope: the caller checked it may import
   * plans), withdrawn or revised on its pinned workflow, written by TaskStore in one statement.
   * A task already closed is left as it is, and so is one the revision does not change. A
   * withdrawn task's open descendants (sub-tasks a lead split off with parentId, at any depth)
   * are withdrawn with it, each by the same write: a sub-task under a withdrawn parent would
   * otherwise keep its reminders, overdue notices, cards and place in the KPIs.
   * @returns the ids of the tasks written.
   */
  async reviseWithin(
    tx: EntityManager,
    caller: Caller,
    revisions: readonly ({ taskId: string; comment: string } & ({ withdraw: true } | { revision: TaskRevision }))[],
    ctx: RequestContext,
    now: Date,
  ): Promise<string[]> {
    const all = [...revisions, ...(await this.withdrawnDescendants(tx, revisions))];
    const rows = await this.store.lockMany(
      tx,
      all.map((r) => r.taskId),
    );
    const actor = { id: caller.id, role: caller.roles.join(',') };
    const updates = [];
    for (const r of all) {
      const row = rows.find((x) => x.id === r.taskId);
      if (!row || row.closed_at) continue;
      const { definition, calendar } = await this.runtime.pinned(row.workflow_key, row.workflow_version);
      const context = { row, definition, calendar, comment: r.comment, actor, requestId: ctx.requestId, now };
      const applied = 'withdraw' in r ? withdrawnTask(context) : withinCalendar(r.revision.dueAt, () => revisedTask(context, r.revision));
      if (applied) updates.push(applied.update);
    }
    await this.store.update(tx, updates, now);
    return updates.map((u) => u.id);
  }

  /**
   * The open descendants (by parent_id, any depth) of the tasks a revision withdraws that it
   * does not name itself, each to withdraw with its parent's comment (上级任务已撤销).
   */
  private async withdrawnDescendants(
    tx: EntityManager,
    revisions: readonly ({ taskId: string; comment: string } & ({ withdraw: true } | { revision: TaskRevision }))[],
  ): Promise<{ taskId: string; comment: string; withdraw: true }[]> {
    const withdrawn = revisions.filter((r) => 'withdraw' in r);
    if (withdrawn.length === 0) return [];
    const rows = await tx.query<{ id: string; root: string }[]>(
      `WITH RECURSIVE below(id, root, depth) AS (
         SELECT id, parent_id, 1 FROM tasks WHERE parent_id = ANY($1::uuid[])
         UNION SELECT t.id, b.root, b.depth + 1 FROM tasks t JOIN below b ON t.parent_id = b.id WHERE b.depth < 64)
       SELECT DISTINCT ON (b.id) b.id, b.root FROM below b JOIN tasks t ON t.id = b.id WHERE t.closed_at IS NULL ORDER BY b.id`,
      [withdrawn.map((r) => r.taskId)],
    );
    const named = new Set(revisions.map((r) => r.taskId));
    const comments = new Map(withdrawn.map((r) => [r.taskId, r.comment]));
    return rows.filter((r) => !named.has(r.id)).map((r) => ({ taskId: r.id, comment: `${comments.get(r.root)!}（上级任务已撤销）`, withdraw: true as const }));
  }

  async get(caller: Caller, id: string): Promise<TaskView> {
    return this.view(this.db.manager, caller, id, new Date());
  }

  async list(caller: Caller, filter: TaskListFilter, page: number, limit: number): Promise<{ items: TaskView[]; total: number }> {
    const scope = await scopeOf(this.db.manager, caller);
    const awaiting = filter.awaiting === 'me' ? awaitingOf(caller, scope, await this.publishedVersions()) : undefined;
    const query = taskListQuery(scope, { ...filter, awaiting }, page, limit);
    // Independent reads: on two pooled connections at once.
    const [[{ total }], rows] = await Promise.all([
      this.db.query<[{ total: number }]>(query.count, query.params),
      this.db.query<TaskRow[]>(query.page, query.pageParams),
    ]);
    // The names of the whole page in one query, while its few workflow versions are looked up.
    const [names, versions, family] = await Promise.all([readTaskNames(this.db.manager, rows), this.versionsOf(rows), this.family(this.db.manager, rows)]);
    const now = new Date();
    const items = rows.map((row) => viewOf(caller, scope, row, now, versions.get(`${row.workflow_key}@${row.workflow_version}`)!, names, family));
    return { items, total };
  }

  /** The workflow versions of a page, by `key@version`: a page holds a few, one lookup for each. */
  private async versionsOf(rows: readonly TaskRow[]): Promise<Map<string, RunningWorkflow>> {
    const versions = new Map<string, RunningWorkflow>();
    for (const row of rows) {
      const key = `${row.workflow_key}@${row.workflow_version}`;
      if (!versions.has(key)) versions.set(key, await this.runtime.pinned(row.workflow_key, row.workflow_version));
    }
    return versions;
  }

  /**
   * The supervisor's desk: the open tasks the caller may see, counted by primary lead department
   * (taskSummaryQuery), and the totals over those rows.
   */
  async summary(caller: Caller): Promise<{ items: DepartmentSummary[]; totals: SummaryCounts }> {
    const scope = await scopeOf(this.db.manager, caller);
    const { sql, params } = taskSummaryQuery(scope);
    const rows = await this.db.query<({ id: string; name: string } & Record<string, number>)[]>(sql, params);
    const items = rows.map((r) => ({
      departmentId: r.id,
      departmentName: r.name,
      open: r.open!,
      green: r.green!,
      yellow: r.yellow!,
      red: r.red!,
      overdue: r.overdue!,
      yellowCards: r.yellow_cards!,
      redCards: r.red_cards!,
    }));
    const totals: SummaryCounts = { open: 0, green: 0, yellow: 0, red: 0, overdue: 0, yellowCards: 0, redCards: 0 };
    for (const item of items) for (const key of Object.keys(totals) as (keyof SummaryCounts)[]) totals[key] += item[key];
    return { items, totals };
  }

  /** Every published workflow version, its definition from the runtime's cache. */
  private async publishedVersions() {
    const versions = await this.db.query<{ key: string; version: number }[]>(`SELECT key, version FROM workflow_versions ORDER BY key, version`);
    return Promise.all(versions.map(async (v) => ({ ...v, definition: (await this.runtime.pinned(v.key, v.version)).definition })));
  }

  /**
   * One transaction: lock the task through the caller's scope, decide, apply, write. A built-in
   * act (urge, card, withdraw-card) is decided by the engine's decideAct and applied by applyAct;
   * any other action is a transition of the task's definition.
   */
  async act(caller: Caller, id: string, input: TaskAction, ctx: RequestContext): Promise<TaskView> {
    // The pinned workflow version and its calendar never change for a task: read them first,
    // so the transaction below uses its own connection only.
    const pinned = await this.pinnedWorkflow(id);
    const workflow = await this.runtime.pinned(pinned.workflow_key, pinned.workflow_version);
    const acted = await this.db.transaction(async (tx) => {
      const scope = await scopeOf(tx, caller);
      const row = await this.store.lock(tx, id, scope);
      if (!row) throw new TaskNotFoundError(id);
      const roles = taskRoles(caller, scope, row);
      const now = await databaseNow(tx);
      const actor = { id: caller.id, role: roles.join(',') };
      let applied: AppliedTransition;
      if (isBuiltInAct(input.action)) {
        const decided = await this.decideBuiltIn(tx, workflow, row, roles, caller.id, input.action, input, now);
        const attachmentIds = input.attachmentIds?.length ? await this.attachmentsOf(tx, row.id, input.attachmentIds) : undefined;
        applied = applyAct({ ...decided, row, input, attachmentIds, calendar: workflow.calendar, actor, requestId: ctx.requestId, now });
      } else {
        const decided = await this.decide(tx, workflow, row, roles, input, now, caller);
        const attachmentIds = input.attachmentIds?.length ? await this.attachmentsOf(tx, row.id, input.attachmentIds) : undefined;
        applied = withinCalendar(input.dueAt, () => applyTransition({ ...decided, attachmentIds, actor, requestId: ctx.requestId, now }));
      }
      await this.store.update(tx, [applied.update], now);
      return { scope, row: applied.row, now, names: await readTaskNames(tx, [applied.row]) };
    });
    // After the commit: the children's calendars may need a pooled connection of their own.
    return viewOf(caller, acted.scope, acted.row, acted.now, workflow, acted.names, await this.family(this.db.manager, [acted.row]));
  }

  /**
   * What the engine makes of a built-in act on the locked row, with what its application reads
   * (the cards in force, for a withdrawal); the domain error when it may not be taken.
   */
  private async decideBuiltIn(
    tx: EntityManager,
    { definition, calendar }: RunningWorkflow,
    row: TaskRow,
    roles: TaskRole[],
    userId: string,
    act: BuiltInAct,
    input: TaskAction,
    now: Date,
  ): Promise<{ act: BuiltInAct; comment: string; card?: Card; cardsInForce?: Awaited<ReturnType<TaskStore['cardsInForce']>> }> {
    const allowed = () => allowedFor(definition, row, roles, actionClock(row, now, calendar));
    if (input.expectedVersion !== undefined && input.expectedVersion !== row.version)
      throw new StaleVersionError(input.expectedVersion, row.version, allowed());
    const open = isOpen(definition, row);
    // Only an urge by someone who may urge an open task costs a look at the trail.
    const mayUrge = act === 'urge' && open && roles.some((r) => (BUILT_IN_ACTS.urge.allowed as readonly TaskRole[]).includes(r));
    const lastUrgeAt = mayUrge ? await this.store.lastTakenBy(tx, row.id, 'urge', userId) : null;
    const decision = decideAct(act, roles, input, { open, card: row.card, lastUrgeAt, now });
    switch (decision.kind) {
      case 'not-open':
        throw new ActionNotAllowedError(act, row.state, allowed());
      case 'forbidden':
        throw new ActionForbiddenError(act, decision.allowed);
      case 'urged-recently':
        throw new UrgedRecentlyError(decision.lastUrgeAt, decision.nextAt, calendar.timezone);
      case 'missing-input':
        throw new InvalidInputError(
          decision.field,
          `“${BUILT_IN_ACTS[act].label}”须填写${decision.field === 'card' ? '牌色（黄牌或红牌）' : '意见'}。"${act}" needs ${decision.field}.`,
        );
      case 'invalid-card':
        throw new InvalidInputError('card', '须为 yellow（黄牌）或 red（红牌）。Must be "yellow" or "red".');
      case 'card-not-higher':
        throw new CardNotHigherError(decision.current, decision.asked);
      case 'no-card':
        throw new NoCardToWithdrawError();
    }
    const cardsInForce = act === 'withdraw-card' ? await this.store.cardsInForce(tx, row.id) : undefined;
    return { act, comment: input.comment!.trim(), card: decision.card, cardsInForce };
  }

  /** What the engine makes of the action on the locked row; the domain error when it may not be taken. */
  private async decide(
    tx: EntityManager,
    workflow: RunningWorkflow,
    row: TaskRow,
    roles: TaskRole[],
    input: TaskAction,
    now: Date,
    caller: Caller,
  ): Promise<Omit<DecidedTransition, 'actor' | 'requestId' | 'now'>> {
    const { definition, calendar } = workflow;
    const clock = actionClock(row, now, calendar);
    if (!isBuiltInAct(input.action) && !definition.transitions.some((t) => t.action === input.action)) {
      throw new ActionUnknownError(input.action, allowedFor(definition, row, roles, clock));
    }
    if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) {
      throw new StaleVersionError(input.expectedVersion, row.version, allowedFor(definition, row, roles, clock));
    }
    // Only limited actions (one extension per ticket) cost a look at the task's history.
    const taken = limitOf(definition, row.state, input.action) !== undefined ? await this.store.timesTaken(tx, row.id, input.action) : 0;
    const decision = decide(definition, row.state, roles, input.action, input, taken, clock);
    const others = () => [
      ...('allowedActions' in decision ? decision.allowedActions : []),
      ...builtInActsAllowed(roles, { open: isOpen(definition, row), card: row.card }),
    ];
    if (decision.kind === 'outside-window') {
      const stateLabel = stateOf(definition, row.state)?.label ?? row.state;
      const ctx = { action: input.action, actionLabel: decision.transition.label ?? input.action, stateLabel, timezone: calendar.timezone };
      throw new ActionOutsideWindowError(decision.window, ctx, others());
    }
    if (decision.kind === 'limit-reached') throw new ActionLimitReachedError(input.action, decision.limit, others());
    if (decision.kind === 'not-allowed') {
      const labels = { action: actionView(definition, row.state, input.action).label, state: stateOf(definition, row.state)?.label ?? row.state };
      throw new ActionNotAllowedError(input.action, row.state, allowedFor(definition, row, roles, clock), labels);
    }
    if (decision.kind === 'forbidden') throw new ActionForbiddenError(input.action, decision.allowed);
    if (decision.kind === 'missing-input') throw new MissingInputError(input.action, decision.transition.label ?? input.action, decision.missing);
    if (input.card !== undefined && input.card !== null)
      throw new InvalidInputError('card', `只有“亮牌”才填写牌色。"${input.action}" does not take card; cards are given by the "card" act.`);
    if (waitsForChildren(definition, decision.transition, row.state, decision.to)) {
      const open = await openChildren(tx, row.id);
      if (open.length > 0) {
        const others = allowedFor(definition, row, roles, clock).filter((a) => a !== input.action);
        throw new ChildrenOpenError(decision.transition.label ?? input.action, open, others);
      }
    }
    const assigneeOwns = decision.transition.requires?.includes('assignee') ? await this.ownsTask(tx, row, input.assigneeId) : undefined;
    const coUnit = definition.coOpinions?.action === input.action ? await this.coUnitOf(tx, row, caller) : undefined;
    return { ...workflow, row, transition: decision.transition, to: decision.to, action: input.action, input, assigneeOwns, coUnit };
  }

  /** The caller's department with its name when it is a co-unit (会办单位) of the task: whose opinion a co-opinion is. */
  private async coUnitOf(tx: EntityManager, row: TaskRow, caller: Caller): Promise<{ id: string; name: string } | undefined> {
    if (!row.owners.some((o) => o.role === 'co' && o.departmentId === caller.departmentId)) return undefined;
    const [unit] = await tx.query<{ id: string; name: string }[]>(`SELECT id, name FROM departments WHERE id = $1`, [caller.departmentId]);
    return unit;
  }

  /**
   * The ids, each once in the order given, when every one is a file of this task (attachments are
   * never moved or deleted, so the check holds at commit).
   * @throws InvalidInputError naming attachmentIds for any other.
   */
  private async attachmentsOf(tx: EntityManager, taskId: string, ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = await tx.query<{ id: string }[]>(`SELECT id FROM attachments WHERE task_id = $1 AND id = ANY($2::uuid[])`, [taskId, unique]);
    const foreign = unique.filter((id) => !found.some((f) => f.id === id));
    if (foreign.length > 0) throw new InvalidInputError('attachmentIds', `不是本任务的附件：${foreign.join('、')}. Not attachments of this task.`);
    return unique;
  }

  /** Whether the user belongs to one of the task's owning departments (who a task may be handed to). */
  private async ownsTask(tx: EntityManager, row: TaskRow, userId: string | null | undefined): Promise<boolean> {
    const [user] = await tx.query<{ id: string }[]>(`SELECT id FROM users WHERE id = $1 AND department_id = ANY($2::uuid[])`, [
      userId,
      row.owners.map((o) => o.departmentId),
    ]);
    return user !== undefined;
  }

  private async pinnedWorkflow(id: string): Promise<Pinned> {
    const cached = this.pinned.get(id);
    if (cached) return cached;
    const [pinned] = (await this.db.query(`SELECT workflow_key, workflow_version FROM tasks WHERE id = $1`, [id])) as Pinned[];
    if (!pinned) throw new TaskNotFoundError(id);
    if (this.pinned.size >= PINNED_CACHE_SIZE) this.pinned.clear();
    this.pinned.set(id, pinned);
    return pinned;
  }

  /**
   * The task's audit chain in `seq` order, each entry with its actor's name and department and the
   * labels of its action and states in the task's pinned workflow version (one query for the actors).
   */
  async auditTrail(caller: Caller, id: string): Promise<AuditEntryView[]> {
    const { row } = await this.visibleRow(this.db.manager, caller, id);
    const [entries, { definition }] = await Promise.all([this.audit.entries(id), this.runtime.pinned(row.workflow_key, row.workflow_version)]);
    const actorIds = [...new Set(entries.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
    const found = await this.db.query<{ id: string; name: string; department_name: string | null }[]>(
      `SELECT u.id, u.display_name AS name, d.name AS department_name FROM users u LEFT JOIN departments d ON d.id = u.department_id
        WHERE u.id = ANY($1::uuid[])`,
      [actorIds],
    );
    const actors = new Map<string, AuditActor>(found.map((a) => [a.id, { name: a.name, departmentName: a.department_name }]));
    return entries.map((e) => auditEntryView(e, definition, actors));
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

  /** The task as the caller sees it, on `workflow` when the caller has its pinned version at hand. */
  private async view(db: EntityManager, caller: Caller, id: string, now: Date, workflow?: RunningWorkflow): Promise<TaskView> {
    const { row, scope } = await this.visibleRow(db, caller, id);
    // One after the other: `db` may be a transaction, whose one connection takes one query at a time.
    const names = await readTaskNames(db, [row]);
    const family = await this.family(db, [row]);
    const pinned = workflow ?? (await this.runtime.pinned(row.workflow_key, row.workflow_version));
    return viewOf(caller, scope, row, now, pinned, names, family);
  }

  /**
   * The parents and children of a page of tasks (one statement), with the calendars of the open
   * children's workflow versions. A task just created has none open: no calendar is looked up.
   */
  private async family(db: EntityManager, rows: readonly TaskRow[]): Promise<PageFamily> {
    const found = await familyRows(db, rows);
    const clocks = new Map<string, WorkingClock>();
    for (const child of [...found.children.values()].flatMap((c) => c.open)) {
      const key = `${child.workflow_key}@${child.workflow_version}`;
      if (!clocks.has(key)) clocks.set(key, (await this.runtime.pinned(child.workflow_key, child.workflow_version)).calendar);
    }
    const clockOf: ClockOf = (key, version) => clocks.get(`${key}@${version}`)!;
    return { rows: found, clockOf };
  }

  /** Removes Idempotency-Key records older than the window; returns how many. */
  async purgeIdempotencyKeys(): Promise<number> {
    const result = await this.db.query<[unknown[], number]>(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [
      IDEMPOTENCY_WINDOW_HOURS,
    ]);
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
    const [first] = await tx.query<{ request_hash: string; status_code: number; response: unknown }[]>(
      `SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    if (first.request_hash !== requestHash) throw new IdempotencyKeyReusedError();
    throw new Replay(first.status_code, first.response);
  }
}

/**
 * The task as this caller sees it: what it may do now (its actions, whether it may split it), labels
 * and names, the light and time left on the task's calendar, its parent and children.
 */
function viewOf(caller: Caller, scope: Scope, row: TaskRow, now: Date, workflow: RunningWorkflow, names: TaskNames, family: PageFamily): TaskView {
  const allowed = allowedFor(workflow.definition, row, taskRoles(caller, scope, row), actionClock(row, now, workflow.calendar));
  const view = toTaskView(row, allowed, now, workflow, names, familyOf(row, family.rows, now, family.clockOf));
  return { ...view, canSplit: maySplit(caller, row) };
}

/** Open: not in a terminal state of its workflow (a state the definition no longer knows counts as open). */
function isOpen(definition: WorkflowDefinition, row: Pick<TaskRow, 'state'>): boolean {
  return !stateOf(definition, row.state)?.terminal;
}

/** What the holder of `roles` may do now: the definition's own actions, then the built-in acts (API.md Tasks). */
function allowedFor(definition: WorkflowDefinition, row: TaskRow, roles: TaskRole[], clock: ReturnType<typeof actionClock>): string[] {
  return [...allowedActions(definition, row.state, roles, clock), ...builtInActsAllowed(roles, { open: isOpen(definition, row), card: row.card })];
}

/** Runs a rule that counts working time to a caller's due date: a date past the calendar's range is the caller's 400, not a 500. */
function withinCalendar<T>(dueAt: Date | string | null | undefined, rule: () => T): T {
  try {
    return rule();
  } catch (err) {
    if (err instanceof CalendarError) throw new DueAtOutOfRangeError(dueAt);
    throw err;
  }
}
