import type { TaskRole } from '@duban/engine';
import type { EntityManager } from 'typeorm';

/**
 * Not a role a definition names: the co-owners whose department has given no opinion (会办意见)
 * on the task yet. A co-opinion reminder names it instead of `co-owner`, so that a co-unit that
 * has answered is not reminded.
 */
export const CO_OWNER_OWING_OPINION = 'co-owner-owing-opinion';

/**
 * The users a definition's roles name on one task, as an SQL array expression over a task id
 * and a roles array (text[]), to use inside another statement: owner (lead or handler of a lead
 * department), co-owner (of a co department), supervisor (supervisors of the lead departments'
 * supervising department, and the leads of a child's supervising departments: its parent's lead
 * departments, 分解), assignee, creator, admin; and CO_OWNER_OWING_OPINION.
 */
export function recipientsArraySql(taskIdParam: string, rolesParam: string): string {
  return `ARRAY(
    SELECT DISTINCT u.id FROM users u, tasks t
     WHERE t.id = ${taskIdParam}
       AND (('owner' = ANY(${rolesParam}::text[]) AND u.department_id = ANY(t.lead_department_ids) AND u.roles && '{lead,handler}')
         OR ('co-owner' = ANY(${rolesParam}::text[]) AND u.department_id = ANY(t.owner_department_ids)
             AND NOT (u.department_id = ANY(t.lead_department_ids)) AND u.roles && '{lead,handler}')
         OR ('${CO_OWNER_OWING_OPINION}' = ANY(${rolesParam}::text[]) AND u.department_id = ANY(t.owner_department_ids)
             AND NOT (u.department_id = ANY(t.lead_department_ids)) AND u.roles && '{lead,handler}'
             AND NOT EXISTS (SELECT 1 FROM task_co_opinions c WHERE c.task_id = t.id AND c.department_id = u.department_id))
         OR ('assignee' = ANY(${rolesParam}::text[]) AND u.id = t.assignee_id)
         OR ('creator' = ANY(${rolesParam}::text[]) AND u.id = t.created_by)
         OR ('supervisor' = ANY(${rolesParam}::text[]) AND u.department_id = ANY(t.supervising_department_ids) AND 'lead' = ANY(u.roles))
         OR ('supervisor' = ANY(${rolesParam}::text[]) AND 'supervisor' = ANY(u.roles)
             AND u.department_id IN (
               -- As the access scope: the supervisors of a lead department or of any department above it.
               WITH RECURSIVE up(id, depth) AS (
                 SELECT d, 0 FROM unnest(t.lead_department_ids) AS d
                 UNION SELECT p.parent_id, up.depth + 1 FROM up JOIN departments p ON p.id = up.id WHERE p.parent_id IS NOT NULL AND up.depth < 64)
               SELECT s.supervisor_department_id FROM department_supervision s WHERE s.department_id IN (SELECT id FROM up)))
         OR ('admin' = ANY(${rolesParam}::text[]) AND 'admin' = ANY(u.roles))))`;
}

/**
 * The users the roles name on one task, resolved by a statement of its own. For one task's notice
 * this is what to use. Measured: the same resolution inline in INSERT … SELECT over a JSON list
 * (NotificationsService.insertForRoles), one statement per outbox event under the events queue's
 * concurrency of 8, kept those statements on the CPU for seconds each while a burst of timers fired
 * (pg_stat_activity sampling), and test/timer-faults' 150 tasks took 45 s instead of 15 s.
 * Timer firing inserts a whole batch's notices with insertForRoles in one statement, which does not.
 */
export async function recipientsOf(db: EntityManager, taskId: string, roles: readonly TaskRole[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const [row] = await db.query<{ ids: string[] }[]>(`SELECT ${recipientsArraySql('$1::uuid', '$2')} AS ids`, [taskId, roles]);
  return row?.ids ?? [];
}

/**
 * The leads and handlers of departments an event names as no longer on its task (payload
 * `removedDepartmentIds`: a plan revision's removed owners, issue 19.5), who are told of the
 * change though the task's roles no longer name them. Anything else in the payload: none.
 */
export async function removedOwnersOf(db: EntityManager, payload: unknown): Promise<string[]> {
  const ids = (payload as { removedDepartmentIds?: unknown } | null)?.removedDepartmentIds;
  if (!Array.isArray(ids) || ids.length === 0) return [];
  const rows = await db.query<{ id: string }[]>(`SELECT id FROM users WHERE department_id = ANY($1::uuid[]) AND roles && '{lead,handler}'`, [ids]);
  return rows.map((r) => r.id);
}
