import { type Scope, scopeCondition } from './scope.js';
import { TASK_COLUMNS } from './task-row.js';

export interface TaskFilter {
  state?: string;
  departmentId?: string;
  workflow?: string;
  overdue?: boolean;
  card?: 'yellow' | 'red' | 'none';
  parentId?: string;
  q?: string;
}

/**
 * The SQL of GET /tasks: one page in a stable order (newest first, id breaking ties) and the
 * total, both through the caller's scope. Exported so that a test can EXPLAIN exactly this.
 *
 * One department's list (a lead's or handler's own, or an admin's `departmentId=`): the tasks it
 * owns and the children it supervises, as the department's own users see them. It is read from
 * task_owners, whose rows carry the columns these filters need: the total is an index-only scan
 * of that department's entries and the page touches tasks only for its own rows; the children
 * it supervises (scopeCondition's supervising half) come from their GIN index.
 * Everything else goes through the owner arrays on tasks.
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
  if (filter.departmentId) {
    const department = `ARRAY[$${params.push(filter.departmentId)}::uuid]`;
    where.push(`(t.owner_department_ids @> ${department} OR t.supervising_department_ids @> ${department})`);
  }
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
  const owned = ['o.department_id = $1::uuid', ...listConditions('o', filter, params), ...onTasks].join(' AND ');
  const from = onTasks.length > 0 ? 'task_owners o JOIN tasks t ON t.id = o.task_id' : 'task_owners o';
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
             FROM (SELECT u.task_id, u.created_at
                     FROM ((SELECT o.task_id, o.created_at FROM ${from} WHERE ${owned} ORDER BY o.created_at DESC, o.task_id DESC LIMIT ${bound})
                           UNION ALL
                           (SELECT t.id, t.created_at FROM tasks t WHERE ${supervised} ORDER BY t.created_at DESC, t.id DESC LIMIT ${bound})) u
                    ORDER BY u.created_at DESC, u.task_id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}) p
             JOIN tasks t ON t.id = p.task_id
            ORDER BY p.created_at DESC, p.task_id DESC`,
    pageParams: [...params, limit, (page - 1) * limit, page * limit],
  };
}
