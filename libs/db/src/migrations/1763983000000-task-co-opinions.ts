import type { MigrationInterface, QueryRunner } from 'typeorm';

// As BuiltInActs1763980000000 left them (it added urged and carded before this migration runs).
const KINDS =
  `'assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action', 'bulletin', ` +
  `'calendar_year_missing', 'callback', 'urged', 'carded'`;

/**
 * The co-handling units' opinions (会办意见, issue 16.7): one row per task and co-unit, the fact
 * that the co-unit has answered, which the co-opinion reminders and the late notice are resolved
 * against; the inbox gains the notice kinds `co_opinion_due` (a co-unit's reminder) and
 * `co_opinion_late` (the lead unit told which co-units are missing).
 */
export class TaskCoOpinions1763983000000 implements MigrationInterface {
  name = 'TaskCoOpinions1763983000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "task_co_opinions" (
        "task_id" uuid NOT NULL, "department_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "comment" text NOT NULL,
        "attachment_ids" uuid array NOT NULL DEFAULT '{}', "actor_id" uuid,
        CONSTRAINT "task_co_opinions_pkey" PRIMARY KEY ("task_id", "department_id"))`);
    await q.query(
      `ALTER TABLE "task_co_opinions" ADD CONSTRAINT "task_co_opinions_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE`,
    );
    await q.query(
      `ALTER TABLE "task_co_opinions" ADD CONSTRAINT "task_co_opinions_department_id_fkey"
         FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT`,
    );
    await q.query(
      `ALTER TABLE "task_co_opinions" ADD CONSTRAINT "task_co_opinions_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL`,
    );
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check" CHECK ("kind" IN (${KINDS}, 'co_opinion_due', 'co_opinion_late'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "notifications" WHERE "kind" IN ('co_opinion_due', 'co_opinion_late')`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check" CHECK ("kind" IN (${KINDS}))`);
    await q.query(`DROP TABLE "task_co_opinions"`);
  }
}
