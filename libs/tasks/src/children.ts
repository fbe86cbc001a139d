import { InvalidInputError } from '@duban/http';
import type { EntityManager } from 'typeorm';
import type { NewTask } from './creation.js';
import { ChildDueAfterParentError, type NamedTask, SplitOutsideError } from './errors.js';
import { type Caller, type Scope, scopeCondition } from './scope.js';

/**
 * Child tasks (分解/转办, DOMAIN.md): a lead of a task hands shares of it to departments below its
 * own (乐昌市人民政府 to two of its towns). The parent's lead departments supervise the children
 * (tasks.supervising_department_ids), a child is due no later than its parent, and the parent
 * waits for its open children where its definition says so (transition `waitsForChildren`).
 */

/** What creating a child reads of its parent. Times are Dates. */
export interface ParentRow extends NamedTask {
  lead_department_ids: string[];
  owner_department_ids: string[];
  due_at: Date | null;
  closed_at: Date | null;
}

/**
 * The parent a new child names, when the caller may see it, locked FOR SHARE: the parent cannot
 * take an action (a submit that counts its open children) until the child is in or rolled back.
 */
export async function lockParent(tx: EntityManager, scope: Scope, parentId: string): Promise<ParentRow | null> {
  const params: unknown[] = [parentId];
  const [parent] = await tx.query<ParentRow[]>(
    `SELECT t.id, t.ref, t.title, t.lead_department_ids, t.owner_department_ids, t.due_at, t.closed_at
       FROM tasks t WHERE t.id = $1 AND ${scopeCondition(scope, params)} FOR SHARE OF t`,
    params,
  );
  return parent ?? null;
}

/**
 * How the caller stands to the parent it splits: `lead` (a user with role lead in one of its lead
 * departments: may split it), `member` (works in an owning department otherwise: a handler, a
 * co-owner: may not), `outsider` (the ordinary rules of who assigns tasks apply). Pure.
 */
export function splitterOf(caller: Caller, parent: Pick<ParentRow, 'lead_department_ids' | 'owner_department_ids'>): 'lead' | 'member' | 'outsider' {
  const department = caller.departmentId;
  if (department === null) return 'outsider';
  if (caller.roles.includes('lead') && parent.lead_department_ids.includes(department)) return 'lead';
  return parent.owner_department_ids.includes(department) ? 'member' : 'outsider';
}

/**
 * Whether the caller may split this task among the departments below its own now (the task
 * view's `canSplit`, which shows the console's 分解): a lead of one of its lead departments, while
 * the task is open. Admins and supervisors create children by the ordinary rules instead. Pure.
 */
export function maySplit(caller: Caller, task: { owners: readonly { departmentId: string; role: 'lead' | 'co' }[]; closed_at: Date | string | null }): boolean {
  if (task.closed_at !== null) return false;
  const parent = {
    lead_department_ids: task.owners.filter((o) => o.role === 'lead').map((o) => o.departmentId),
    owner_department_ids: task.owners.map((o) => o.departmentId),
  };
  return splitterOf(caller, parent) === 'lead';
}

/**
 * Refuses a split to any department not below the lead's own (`ancestor`): every lead and
 * co-owning department of the child must be a descendant, at any depth.
 * @throws InvalidInputError (400) naming the field for a department that does not exist;
 *   SplitOutsideError (403) naming the departments outside, by name.
 */
export async function checkBelow(tx: EntityManager, ancestor: string, input: Pick<NewTask, 'leadDepartmentIds' | 'coDepartmentIds'>): Promise<void> {
  const named = [...new Set([...input.leadDepartmentIds, ...(input.coDepartmentIds ?? [])])];
  const rows = await tx.query<{ id: string; name: string; below: boolean }[]>(
    `WITH RECURSIVE below(id, depth) AS (
       SELECT id, 1 FROM departments WHERE parent_id = $1
       UNION SELECT d.id, b.depth + 1 FROM departments d JOIN below b ON d.parent_id = b.id WHERE b.depth < 64)
     SELECT d.id, d.name, d.id IN (SELECT id FROM below) AS below FROM departments d WHERE d.id = ANY($2::uuid[])`,
    [ancestor, named],
  );
  const unknown = named.find((id) => !rows.some((r) => r.id === id));
  if (unknown) {
    throw new InvalidInputError(
      input.leadDepartmentIds.includes(unknown) ? 'leadDepartmentIds' : 'coDepartmentIds',
      `单位不存在：${unknown}。No department ${unknown}.`,
    );
  }
  const outside = rows.filter((r) => !r.below);
  if (outside.length > 0) {
    const [own] = await tx.query<{ name: string }[]>(`SELECT name FROM departments WHERE id = $1`, [ancestor]);
    throw new SplitOutsideError(own?.name ?? ancestor, outside);
  }
}

/**
 * The child as it is created: due when the input says, else when its parent is, never later
 * than the parent (its timers run on its own due date); supervised by the parent's lead
 * departments. Pure.
 * @throws ChildDueAfterParentError (400, dueAt), its dates in `timezone`.
 */
export function childTask(input: NewTask, parent: ParentRow, timezone: string): NewTask {
  if (input.dueAt && parent.due_at && input.dueAt.getTime() > parent.due_at.getTime()) {
    throw new ChildDueAfterParentError({ ...parent, dueAt: parent.due_at }, timezone);
  }
  // The child's own units never supervise it (they would approve their own work).
  const own = new Set([...input.leadDepartmentIds, ...(input.coDepartmentIds ?? [])]);
  const supervisingDepartmentIds = parent.lead_department_ids.filter((d) => !own.has(d));
  return { ...input, dueAt: input.dueAt ?? parent.due_at ?? undefined, supervisingDepartmentIds };
}

/** The task's children not closed yet, oldest first: what an action that waits for them names. */
export async function openChildren(tx: EntityManager, taskId: string): Promise<NamedTask[]> {
  return tx.query<NamedTask[]>(`SELECT id, ref, title FROM tasks WHERE parent_id = $1 AND closed_at IS NULL ORDER BY created_at, ref`, [taskId]);
}
