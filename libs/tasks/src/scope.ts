import type { Role } from '@duban/db';
import type { TaskRole } from '@duban/engine';
import type { EntityManager } from 'typeorm';
import type { TaskRow } from './task-row.js';

/** Who is asking, as the bearer token says. */
export interface Caller {
  id: string;
  roles: Role[];
  departmentId: string | null;
}

/** What a caller may see: every task, or those owned by one department or led by supervised ones. */
export interface Scope {
  all: boolean;
  /**
   * lead/handler: tasks where this department is a lead or co-owner, and the children of tasks
   * it leads (分解给下级单位: their supervising departments).
   */
  ownDepartment: string | null;
  /** supervisor: tasks whose lead department is one of these. */
  supervised: string[];
}

/**
 * A supervisor supervises the departments whose supervising department (their own setting or
 * the nearest ancestor's) is the supervisor's department, and everything below them.
 */
export async function scopeOf(db: EntityManager, caller: Caller): Promise<Scope> {
  if (caller.roles.includes('admin')) return { all: true, ownDepartment: null, supervised: [] };
  const ownDepartment = caller.departmentId && (caller.roles.includes('lead') || caller.roles.includes('handler')) ? caller.departmentId : null;
  let supervised: string[] = [];
  if (caller.departmentId && caller.roles.includes('supervisor')) {
    const [row] = await db.query<{ ids: string[] }[]>(
      `WITH RECURSIVE sup(id) AS (
         SELECT department_id FROM department_supervision WHERE supervisor_department_id = $1
         UNION
         SELECT d.id FROM departments d JOIN sup ON d.parent_id = sup.id
       ) SELECT coalesce(array_agg(id), '{}') AS ids FROM sup`,
      [caller.departmentId],
    );
    supervised = row!.ids;
  }
  return { all: false, ownDepartment, supervised };
}

/**
 * The one condition every task read and write goes through. Appends its parameters to
 * `params` and returns SQL over the tasks alias `t` (or `alias`, for a second tasks row in one query).
 */
export function scopeCondition(scope: Scope, params: unknown[], alias = 't'): string {
  if (scope.all) return 'TRUE';
  // The arrays mirror task_owners (kept by a trigger) and carry GIN indexes, so a department's
  // tasks and their count come from an index rather than a scan of all tasks.
  const parts: string[] = [];
  if (scope.ownDepartment) {
    const own = `ARRAY[$${params.push(scope.ownDepartment)}::uuid]`;
    parts.push(`${alias}.owner_department_ids @> ${own}`, `${alias}.supervising_department_ids @> ${own}`);
  }
  if (scope.supervised.length > 0) parts.push(`${alias}.lead_department_ids && $${params.push(scope.supervised)}::uuid[]`);
  if (parts.length === 0) return 'FALSE';
  return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
}

/**
 * The departments whose figures (reports, plan roll-ups by department) the caller may read:
 * null for all (admins), else those it supervises and its own as a lead or handler.
 */
export function visibleDepartments(scope: Scope): string[] | null {
  if (scope.all) return null;
  return [...new Set([...(scope.ownDepartment ? [scope.ownDepartment] : []), ...scope.supervised])];
}

/**
 * The departments of a new task the caller may not name: admins any; a supervisor only those it
 * supervises, as lead and as co-owner alike (whoever assigns a task must be able to follow it up).
 */
export function assignableOutside(scope: Scope, departments: { lead: readonly string[]; co: readonly string[] }): { lead: string[]; co: string[] } {
  if (scope.all) return { lead: [], co: [] };
  const outside = (ids: readonly string[]) => [...new Set(ids)].filter((d) => !scope.supervised.includes(d));
  return { lead: outside(departments.lead), co: outside(departments.co) };
}

/**
 * The caller's roles on this task, in the vocabulary of workflow definitions. `supervisor`: a
 * supervisor of a lead department, or a lead of one of the task's supervising departments (the
 * parent's lead department, for a child it split off: it urges, approves and sends back).
 */
export function taskRoles(
  caller: Caller,
  scope: Scope,
  row: Pick<TaskRow, 'owners' | 'assignee_id' | 'created_by' | 'supervising_department_ids'>,
): TaskRole[] {
  const roles: TaskRole[] = [];
  const works = caller.departmentId !== null && (caller.roles.includes('lead') || caller.roles.includes('handler'));
  if (works && row.owners.some((o) => o.role === 'lead' && o.departmentId === caller.departmentId)) roles.push('owner');
  if (works && row.owners.some((o) => o.role === 'co' && o.departmentId === caller.departmentId)) roles.push('co-owner');
  if (row.assignee_id === caller.id) roles.push('assignee');
  const supervises = caller.roles.includes('supervisor') && row.owners.some((o) => o.role === 'lead' && scope.supervised.includes(o.departmentId));
  // A unit that works the task itself never supervises it: it would approve its own submission.
  const splitOff =
    caller.roles.includes('lead') &&
    caller.departmentId !== null &&
    row.supervising_department_ids.includes(caller.departmentId) &&
    !row.owners.some((o) => o.departmentId === caller.departmentId);
  if (supervises || splitOff) roles.push('supervisor');
  if (row.created_by === caller.id) roles.push('creator');
  if (caller.roles.includes('admin')) roles.push('admin');
  return roles;
}
