import type { TaskRole } from '@duban/engine';
import type { EntityManager } from 'typeorm';

/**
 * The users a definition's roles name on one task: owner (lead or handler of a lead
 * department), co-owner (of a co department), supervisor (supervisors of the lead departments'
 * supervising department), assignee, creator, admin.
 */
export async function recipientsOf(db: EntityManager, taskId: string, roles: readonly TaskRole[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows: { id: string }[] = await db.query(
    `WITH t AS (SELECT id, assignee_id, created_by, lead_department_ids, owner_department_ids FROM tasks WHERE id = $1),
          sup AS (SELECT s.supervisor_department_id AS id FROM department_supervision s, t WHERE s.department_id = ANY(t.lead_department_ids))
     SELECT DISTINCT u.id FROM users u, t
      WHERE ('owner' = ANY($2) AND u.department_id = ANY(t.lead_department_ids) AND u.roles && '{lead,handler}')
         OR ('co-owner' = ANY($2) AND u.department_id = ANY(t.owner_department_ids) AND NOT (u.department_id = ANY(t.lead_department_ids)) AND u.roles && '{lead,handler}')
         OR ('assignee' = ANY($2) AND u.id = t.assignee_id)
         OR ('creator' = ANY($2) AND u.id = t.created_by)
         OR ('supervisor' = ANY($2) AND 'supervisor' = ANY(u.roles) AND u.department_id IN (SELECT id FROM sup))
         OR ('admin' = ANY($2) AND 'admin' = ANY(u.roles))
      ORDER BY u.id`,
    [taskId, roles],
  );
  return rows.map((r) => r.id);
}
