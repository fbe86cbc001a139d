import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A task split among sub-units (分解/转办) is followed up by its parent's lead departments: they
 * see each child and act on it as its supervisor. `supervising_department_ids` holds those
 * departments, copied from the parent when the child is created (a task's lead departments
 * never change), GIN-indexed like the owner arrays so that the one scope condition finds a
 * department's supervised children from an index. Existing children get their parent's leads.
 */
export class TaskSupervisingDepartments1763982000000 implements MigrationInterface {
  name = 'TaskSupervisingDepartments1763982000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" ADD "supervising_department_ids" uuid array NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE tasks c SET supervising_department_ids = p.lead_department_ids FROM tasks p WHERE p.id = c.parent_id`);
    await q.query(`CREATE INDEX "tasks_supervising_department_ids_idx" ON "tasks" USING gin ("supervising_department_ids")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "tasks_supervising_department_ids_idx"`);
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "supervising_department_ids"`);
  }
}
