import type { TaskRole, WorkflowDefinition } from '@duban/engine';
import { type Caller, type Scope, scopeCondition, visibleDepartments } from './scope.js';
import { TASK_COLUMNS } from './task-row.js';
import type { TaskView } from './task-view.js';

/** One state of one workflow version: where a task waits on someone. */
export interface StateRef {
  key: string;
  version: number;
  state: string;
}

/**
 * `awaiting=me` (待我审批) for one caller: the open tasks in states that wait on a role the caller
 * holds on them (see awaitingStates): as a supervisor of the task's lead department, as its
 * creator, as an admin. Empty lists: the caller holds no such role.
 */
export interface Awaiting {
  userId: string;
  supervised: string[];
  supervisor: StateRef[];
  creator: StateRef[];
  admin: StateRef[];
}

/** The orders of GET /tasks besides the default (newest first). */
export const TASK_SORTS = ['dueAt', '-dueAt', 'urgency'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export interface TaskFilter {
  state?: string;
  /** Open (closed_at null) or closed tasks only. */
  open?: boolean;
  /** Any owner, lead or co-unit. */
  departmentId?: string;
  /** The primary lead (主要牵头单位), as reports and the supervisor's desk count a task. */
  primaryDepartmentId?: string;
  workflow?: string;
  overdue?: boolean;
  card?: 'yellow' | 'red' | 'none';
  light?: TaskView['light'];
  /** escalation_level > 0 (true) or 0 (false). */
  escalated?: boolean;
  /** due_at ≥ dueFrom. */
  dueFrom?: Date;
  /** due_at < dueBefore. */
  dueBefore?: Date;
  /** created_at ≥ createdFrom. */
  createdFrom?: Date;
  /** created_at < createdBefore. */
  createdBefore?: Date;
  /** closed_at ≥ closedFrom (closed tasks only). */
  closedFrom?: Date;
  /** closed_at < closedBefore (closed tasks only). */
  closedBefore?: Date;
  parentId?: string;
  /** Part of the title, or a ref: `DB-00000123`, `00000123`, `123`. */
  q?: string;
  awaiting?: Awaiting;
  sort?: TaskSort;
}

/**
 * Duban's one clock (see databaseNow): the list's light and overdue agree with the timers. Read
 * once per statement (an InitPlan, usable in index conditions): duban_now() is not inlined (it
 * reads clock_timestamp()), and called per row it made an admin's desk over 130,000 open tasks
 * take 1.3 s.
 */
const NOW = '(SELECT duban_now())';

/**
 * The SQL of GET /tasks: one page in the order asked (newest first by default, id breaking ties)
 * and the total, both through the caller's scope. Exported so that a test can EXPLAIN exactly this.
 *
 * One department's list (a lead's or handler's own, or an admin's `departmentId=`): the tasks it
 * owns and the children it supervises, as the department's own users see them. It is read from
 * task_owners, whose rows carry the columns these filters need: the total is an index-only scan
 * of that department's entries and the page touches tasks only for its own rows; the children
 * it supervises (scopeCondition's supervising half) come from their GIN index. Everything else
 * goes through the owner arrays on tasks. Filters on columns only tasks have (light, escalated,
 * awaiting, title and ref) join tasks to the department's entries.
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

/** Open and not paused, over alias `a`: the task's clock runs. */
const running = (a: string) => `${a}.closed_at IS NULL AND ${a}.paused_since IS NULL`;

/**
 * `light=` in SQL, over tasks alias `t`: the three tests of lightAt (task-view.ts) on the same
 * columns, `yellow_from` carrying the calendar's part. Red and yellow are a few tasks each and are
 * found through indexes (cards, open due dates, open yellow boundaries); green is most tasks and
 * is what remains of the scope.
 */
export function lightSql(light: TaskView['light']): string {
  const overdue = `(${running('t')} AND t.due_at < ${NOW})`;
  if (light === 'red') return `(t.card = 'red' OR ${overdue})`;
  if (light === 'yellow') {
    return `(t.card IS DISTINCT FROM 'red' AND NOT coalesce(${overdue}, false)
             AND (t.card = 'yellow' OR (${running('t')} AND t.yellow_from < ${NOW})))`;
  }
  return `(t.card IS NULL AND NOT coalesce(${running('t')} AND (t.due_at < ${NOW} OR t.yellow_from < ${NOW}), false))`;
}

/** The conditions on the list's columns, over alias `a` (tasks or task_owners: the same names). */
function listConditions(a: 't' | 'o', filter: TaskFilter, params: unknown[]): string[] {
  const where: string[] = [];
  if (filter.state) where.push(`${a}.state = $${params.push(filter.state)}`);
  if (filter.open === true) where.push(`${a}.closed_at IS NULL`);
  if (filter.open === false) where.push(`${a}.closed_at IS NOT NULL`);
  if (filter.workflow) where.push(`${a}.workflow_key = $${params.push(filter.workflow)}`);
  if (filter.card === 'none') where.push(`${a}.card IS NULL`);
  else if (filter.card) where.push(`${a}.card = $${params.push(filter.card)}`);
  const overdue = `(${running(a)} AND ${a}.due_at < ${NOW})`;
  if (filter.overdue === true) where.push(overdue);
  if (filter.overdue === false) where.push(`NOT coalesce(${overdue}, false)`);
  if (filter.dueFrom) where.push(`${a}.due_at >= $${params.push(filter.dueFrom)}`);
  if (filter.dueBefore) where.push(`${a}.due_at < $${params.push(filter.dueBefore)}`);
  if (filter.createdFrom) where.push(`${a}.created_at >= $${params.push(filter.createdFrom)}`);
  if (filter.createdBefore) where.push(`${a}.created_at < $${params.push(filter.createdBefore)}`);
  if (filter.closedFrom) where.push(`${a}.closed_at >= $${params.push(filter.closedFrom)}`);
  if (filter.closedBefore) where.push(`${a}.closed_at < $${params.push(filter.closedBefore)}`);
  return where;
}

/** The conditions only tasks can answer, over alias `t`. */
function taskOnlyConditions(filter: TaskFilter, params: unknown[]): string[] {
  const where: string[] = [];
  if (filter.parentId) where.push(`t.parent_id = $${params.push(filter.parentId)}::uuid`);
  if (filter.primaryDepartmentId) where.push(`t.primary_department_id = $${params.push(filter.primaryDepartmentId)}::uuid`);
  if (filter.q) where.push(searchCondition(filter.q, params));
  if (filter.light) where.push(lightSql(filter.light));
  if (filter.escalated === true) where.push(`t.escalation_level > 0`);
  if (filter.escalated === false) where.push(`t.escalation_level = 0`);
  if (filter.awaiting) where.push(awaitingCondition(filter.awaiting, params));
  return where;
}

/**
 * The ref a search names, or null: `DB-00000123`, `db-123`, `00000123` and `123` all name
 * DB-00000123 (people quote refs without the prefix or the leading zeros on the phone).
 */
export function refOf(q: string): string | null {
  const m = /^(?:DB-?)?(\d{1,12})$/i.exec(q.trim());
  if (!m) return null;
  const digits = m[1]!.replace(/^0+(?=\d)/, '');
  return `DB-${digits.padStart(8, '0')}`;
}

/** `q`: the title contains it (trigram index), or it names a ref (the unique index on ref, exact). */
function searchCondition(q: string, params: unknown[]): string {
  const title = `t.title ILIKE $${params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`;
  const ref = refOf(q);
  return ref === null ? title : `(${title} OR t.ref = $${params.push(ref)})`;
}

/** Open tasks in a state of `states` (tasks_open_state_idx), as `(key, version, state)` triples. */
function inStates(states: StateRef[], params: unknown[]): string {
  const keys = params.push(states.map((s) => s.key));
  const versions = params.push(states.map((s) => s.version));
  const names = params.push(states.map((s) => s.state));
  return `(t.state = ANY($${names}::text[]) AND (t.workflow_key, t.workflow_version, t.state) IN
           (SELECT * FROM unnest($${keys}::text[], $${versions}::int[], $${names}::text[])))`;
}

function awaitingCondition(a: Awaiting, params: unknown[]): string {
  const arms: string[] = [];
  if (a.supervisor.length > 0 && a.supervised.length > 0) {
    arms.push(`(${inStates(a.supervisor, params)} AND t.lead_department_ids && $${params.push(a.supervised)}::uuid[])`);
  }
  if (a.creator.length > 0) arms.push(`(${inStates(a.creator, params)} AND t.created_by = $${params.push(a.userId)}::uuid)`);
  if (a.admin.length > 0) arms.push(inStates(a.admin, params));
  return arms.length === 0 ? 'FALSE' : `(t.closed_at IS NULL AND (${arms.join(' OR ')}))`;
}

/** The rank of a light for `sort=urgency`: red 0, yellow 1, green 2. */
const URGENCY = `CASE WHEN ${lightSql('red')} THEN 0 WHEN ${lightSql('yellow')} THEN 1 ELSE 2 END`;

/** ORDER BY over alias `a` for the columns both tables have, `urgency` the light's rank, ties by id. */
function orderBy(sort: TaskSort | undefined, a: string, id: string, urgency = URGENCY): string {
  if (sort === 'dueAt') return `${a}.due_at ASC NULLS LAST, ${id} ASC`;
  if (sort === '-dueAt') return `${a}.due_at DESC NULLS LAST, ${id} DESC`;
  if (sort === 'urgency') return `${urgency}, ${a}.due_at ASC NULLS LAST, ${id} ASC`;
  return `${a}.created_at DESC, ${id} DESC`;
}

function tasksListQuery(scope: Scope, filter: TaskFilter, page: number, limit: number) {
  const params: unknown[] = [];
  const where = [scopeCondition(scope, params)];
  if (filter.departmentId) {
    const department = `ARRAY[$${params.push(filter.departmentId)}::uuid]`;
    where.push(`(t.owner_department_ids @> ${department} OR t.supervising_department_ids @> ${department})`);
  }
  const clause = [...where, ...listConditions('t', filter, params), ...taskOnlyConditions(filter, params)].join(' AND ');
  return {
    count: `SELECT count(*)::int AS total FROM tasks t WHERE ${clause}`,
    params,
    page: `SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${clause} ORDER BY ${orderBy(filter.sort, 't', 't.id')}
            LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    pageParams: [...params, limit, (page - 1) * limit],
  };
}

function departmentListQuery(department: string, filter: TaskFilter, page: number, limit: number) {
  const params: unknown[] = [department];
  const onTasks = taskOnlyConditions(filter, params);
  const owned = ['o.department_id = $1::uuid', ...listConditions('o', filter, params), ...onTasks].join(' AND ');
  const joined = 'task_owners o JOIN tasks t ON t.id = o.task_id';
  const from = onTasks.length > 0 ? joined : 'task_owners o';
  // Urgency ranks by the light, whose yellow boundary only tasks carry: the page joins them, the count need not.
  const pageFrom = filter.sort === 'urgency' ? joined : from;
  const rank = filter.sort === 'urgency' ? `, ${URGENCY} AS r` : '';
  // The scope's other half: children of tasks the department leads (分解), which it supervises
  // without owning them; few, found through the supervising GIN index.
  const supervised = [
    't.supervising_department_ids @> ARRAY[$1::uuid]',
    'NOT (t.owner_department_ids @> ARRAY[$1::uuid])',
    ...listConditions('t', filter, params),
    ...taskOnlyConditions(filter, params),
  ].join(' AND ');
  const bound = `$${params.length + 3}`;
  return {
    count: `SELECT ((SELECT count(*) FROM ${from} WHERE ${owned}) + (SELECT count(*) FROM tasks t WHERE ${supervised}))::int AS total`,
    params,
    page: `SELECT ${TASK_COLUMNS}
             FROM (SELECT u.* FROM ((SELECT o.task_id, o.created_at, o.due_at${rank} FROM ${pageFrom} WHERE ${owned}
                                     ORDER BY ${orderBy(filter.sort, 'o', 'o.task_id')} LIMIT ${bound})
                                    UNION ALL
                                    (SELECT t.id AS task_id, t.created_at, t.due_at${rank} FROM tasks t WHERE ${supervised}
                                     ORDER BY ${orderBy(filter.sort, 't', 't.id')} LIMIT ${bound})) u
                    ORDER BY ${orderBy(filter.sort, 'u', 'u.task_id', 'u.r')} LIMIT $${params.length + 1} OFFSET $${params.length + 2}) p
             JOIN tasks t ON t.id = p.task_id
            ORDER BY ${orderBy(filter.sort, 'p', 'p.task_id', 'p.r')}`,
    pageParams: [...params, limit, (page - 1) * limit, page * limit],
  };
}

/** The roles that work a task: a state where one of them may act waits on them, not on its supervisors. */
const WORKING_ROLES: readonly TaskRole[] = ['owner', 'co-owner', 'assignee'];

/**
 * The states of a workflow in which a task waits on `role`: some transition from there is
 * allowed to it and none to those who work the task (owner, co-owner, assignee). An extension
 * request (extension-requested), a submission (review), a returned ticket, a reply to rate: yes;
 * a plan item in progress, which a supervisor may extend but its owner works on: no. Built-in
 * acts (urge, card) are not transitions and never make a task wait. Terminal states are left out
 * (`awaiting` is about open tasks).
 */
export function awaitingStates(definition: WorkflowDefinition, role: TaskRole): string[] {
  return definition.states
    .filter((state) => !state.terminal)
    .map((state) => state.key)
    .filter((key) => {
      const from = definition.transitions.filter((t) => t.from.includes(key));
      return from.some((t) => t.allowed.includes(role)) && !from.some((t) => t.allowed.some((r) => WORKING_ROLES.includes(r)));
    });
}

/** `awaiting=me` for `caller`, over every published workflow version. Pure. */
export function awaitingOf(caller: Caller, scope: Scope, versions: readonly { key: string; version: number; definition: WorkflowDefinition }[]): Awaiting {
  const refs = (role: TaskRole) => versions.flatMap((v) => awaitingStates(v.definition, role).map((state) => ({ key: v.key, version: v.version, state })));
  return {
    userId: caller.id,
    supervised: scope.supervised,
    supervisor: caller.roles.includes('supervisor') ? refs('supervisor') : [],
    creator: refs('creator'),
    admin: caller.roles.includes('admin') ? refs('admin') : [],
  };
}

/**
 * The SQL of GET /tasks/summary (the supervisor's desk): the open tasks in the caller's scope by
 * primary lead department, each count what GET /tasks answers as `total` for that department
 * (`primaryDepartmentId`), `open=true` and `light`, `overdue=true` or `card`: the same conditions.
 * Departments the caller watches (visibleDepartments) have a row even with nothing open; an
 * admin's rows are the departments with open tasks. One statement: the open tasks come from the
 * scope's index (owner arrays) or, for an admin, from tasks_open_department_idx, which carries
 * every column counted here.
 */
export function taskSummaryQuery(scope: Scope): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where = scopeCondition(scope, params);
  const visible = visibleDepartments(scope);
  const watched = visible === null ? '' : ` OR d.id = ANY($${params.push(visible)}::uuid[])`;
  const counts = {
    open: 'TRUE',
    green: lightSql('green'),
    yellow: lightSql('yellow'),
    red: lightSql('red'),
    overdue: `t.paused_since IS NULL AND t.due_at < ${NOW}`,
    yellow_cards: `t.card = 'yellow'`,
    red_cards: `t.card = 'red'`,
  };
  const columns = Object.entries(counts).map(([name, condition]) => `count(*) FILTER (WHERE ${condition})::int AS ${name}`);
  const out = Object.keys(counts).map((name) => `coalesce(c.${name}, 0) AS ${name}`);
  return {
    sql: `WITH c AS (SELECT t.primary_department_id AS id, ${columns.join(', ')}
                       FROM tasks t WHERE t.closed_at IS NULL AND ${where} GROUP BY t.primary_department_id)
          SELECT d.id, d.name, ${out.join(', ')}
            FROM departments d LEFT JOIN c ON c.id = d.id
           WHERE c.id IS NOT NULL${watched}
           ORDER BY coalesce(c.red, 0) DESC, coalesce(c.yellow, 0) DESC, coalesce(c.open, 0) DESC, d.name, d.id`,
    params,
  };
}
