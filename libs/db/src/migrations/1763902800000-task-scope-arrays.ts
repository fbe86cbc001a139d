import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scope queries filter tasks by owning department. Through task_owners alone, PostgreSQL counts
 * a department's tasks by scanning every task; arrays on tasks with GIN indexes serve both the
 * page and its total from an index. task_owners stays the truth; a trigger keeps the copies.
 */
export class TaskScopeArrays1763902800000 implements MigrationInterface {
  name = 'TaskScopeArrays1763902800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" ADD "owner_department_ids" uuid array NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE "tasks" ADD "lead_department_ids" uuid array NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE FUNCTION task_owner_arrays_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE tasks t SET
          owner_department_ids = coalesce((SELECT array_agg(o.department_id ORDER BY o.position) FROM task_owners o WHERE o.task_id = t.id), '{}'),
          lead_department_ids = coalesce((SELECT array_agg(o.department_id ORDER BY o.position) FROM task_owners o
            WHERE o.task_id = t.id AND o.role = 'lead'), '{}')
        WHERE t.id IN (SELECT task_id FROM changed);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER task_owners_inserted AFTER INSERT ON task_owners REFERENCING NEW TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION task_owner_arrays_refresh()`);
    await q.query(`CREATE TRIGGER task_owners_deleted AFTER DELETE ON task_owners REFERENCING OLD TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION task_owner_arrays_refresh()`);
    await q.query(`CREATE TRIGGER task_owners_updated AFTER UPDATE ON task_owners REFERENCING NEW TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION task_owner_arrays_refresh()`);
    await q.query(`
      UPDATE tasks t SET
        owner_department_ids = coalesce((SELECT array_agg(o.department_id ORDER BY o.position) FROM task_owners o WHERE o.task_id = t.id), '{}'),
        lead_department_ids = coalesce((SELECT array_agg(o.department_id ORDER BY o.position) FROM task_owners o
          WHERE o.task_id = t.id AND o.role = 'lead'), '{}')`);
    await q.query(`CREATE INDEX "tasks_owner_department_ids_idx" ON "tasks" USING gin ("owner_department_ids")`);
    await q.query(`CREATE INDEX "tasks_lead_department_ids_idx" ON "tasks" USING gin ("lead_department_ids")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER task_owners_inserted ON task_owners`);
    await q.query(`DROP TRIGGER task_owners_deleted ON task_owners`);
    await q.query(`DROP TRIGGER task_owners_updated ON task_owners`);
    await q.query(`DROP FUNCTION task_owner_arrays_refresh()`);
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "lead_department_ids"`);
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "owner_department_ids"`);
  }
}
