import type { EntityManager } from 'typeorm';
import type { TaskRow } from './task-row.js';
import type { TaskNames } from './task-view.js';

/**
 * The names of the owning departments and assignees of `rows` (a whole page), in one query
 * however many rows: a list never asks per row.
 */
export async function readTaskNames(db: Pick<EntityManager, 'query'>, rows: readonly Pick<TaskRow, 'owners' | 'assignee_id'>[]): Promise<TaskNames> {
  const departmentIds = [...new Set(rows.flatMap((r) => r.owners.map((o) => o.departmentId)))];
  const userIds = [...new Set(rows.flatMap((r) => (r.assignee_id ? [r.assignee_id] : [])))];
  return readNames(db, departmentIds, userIds);
}

/** Department and user names by id, in one query; ids not found are left out. */
export async function readNames(db: Pick<EntityManager, 'query'>, departmentIds: readonly string[], userIds: readonly string[]): Promise<TaskNames> {
  const departments = new Map<string, string>();
  const users = new Map<string, string>();
  if (departmentIds.length === 0 && userIds.length === 0) return { departments, users };
  const found = await db.query<{ kind: 'department' | 'user'; id: string; name: string }[]>(
    `SELECT 'department' AS kind, id, name FROM departments WHERE id = ANY($1::uuid[])
     UNION ALL SELECT 'user', id, display_name FROM users WHERE id = ANY($2::uuid[])`,
    [departmentIds, userIds],
  );
  for (const f of found) (f.kind === 'department' ? departments : users).set(f.id, f.name);
  return { departments, users };
}
