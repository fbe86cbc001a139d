import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's task lists and the supervisor's desk (issue 17) filter and count in SQL:
 * - `tasks.yellow_from`: the instant after which a running task's light turns yellow for lack of
 *   time. The light counts working time on the task's calendar, which SQL cannot; the boundary is
 *   counted once (yellowFromOf) whenever the due date or the paused time changes, and again when
 *   the calendar's days change (re-plan), so `light=` is a comparison with the clock, as
 *   `overdue=` is. Existing tasks get theirs from one re-plan request per calendar, which the
 *   worker's timer pump picks up (every open task with a due date ahead has a live timer).
 * - indexes for the new filters: yellow boundary of open tasks (light=yellow), cards (light=red and
 *   yellow, card= for an admin), escalated tasks, open tasks by state and workflow version
 *   (awaiting=me), open tasks by primary lead department with what the desk counts (summary).
 */
export class TaskLists1763985000000 implements MigrationInterface {
  name = 'TaskLists1763985000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" ADD "yellow_from" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE INDEX "tasks_yellow_from_open_idx" ON "tasks" ("yellow_from") WHERE "closed_at" IS NULL`);
    await q.query(`CREATE INDEX "tasks_card_idx" ON "tasks" ("card") WHERE "card" IS NOT NULL`);
    await q.query(`CREATE INDEX "tasks_escalated_idx" ON "tasks" ("created_at", "id") WHERE "escalation_level" > 0`);
    await q.query(`CREATE INDEX "tasks_open_state_idx" ON "tasks" ("state", "workflow_key", "workflow_version") WHERE "closed_at" IS NULL`);
    await q.query(
      `CREATE INDEX "tasks_open_department_idx" ON "tasks" ("primary_department_id")
        INCLUDE ("card", "due_at", "paused_since", "yellow_from") WHERE "closed_at" IS NULL`,
    );
    await q.query(`INSERT INTO "timer_replans" ("calendar_key") SELECT "key" FROM "calendars"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "tasks_open_department_idx"`);
    await q.query(`DROP INDEX "tasks_open_state_idx"`);
    await q.query(`DROP INDEX "tasks_escalated_idx"`);
    await q.query(`DROP INDEX "tasks_card_idx"`);
    await q.query(`DROP INDEX "tasks_yellow_from_open_idx"`);
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "yellow_from"`);
  }
}
