import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE =
  `'assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action', 'bulletin', ` + `'calendar_year_missing', 'callback'`;

/**
 * The built-in acts of every workflow (issue 16.1-2): an urge (催办) is a dated report fact like
 * a card; a card given by mistake is withdrawn by an admin (`withdrawn_at`) and leaves the
 * reports, whose period index now holds the facts in force only, so the KPIs still read it
 * alone; the inbox gains the notice kinds `urged` and `carded` (a card given by hand).
 */
export class BuiltInActs1763980000000 implements MigrationInterface {
  name = 'BuiltInActs1763980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "task_events" ADD "withdrawn_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "task_events" DROP CONSTRAINT "task_events_kind_check"`);
    await q.query(
      `ALTER TABLE "task_events" ADD CONSTRAINT "task_events_kind_check" CHECK ("kind" IN ('yellow_card', 'red_card', 'extension', 'return', 'urge'))`,
    );
    await q.query(`DROP INDEX "task_events_at_idx"`);
    await q.query(`CREATE INDEX "task_events_at_idx" ON "task_events" ("at") INCLUDE ("department_id", "kind") WHERE "withdrawn_at" IS NULL`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check" CHECK ("kind" IN (${KINDS_BEFORE}, 'urged', 'carded'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "notifications" WHERE "kind" IN ('urged', 'carded')`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check" CHECK ("kind" IN (${KINDS_BEFORE}))`);
    await q.query(`DELETE FROM "task_events" WHERE "kind" = 'urge' OR "withdrawn_at" IS NOT NULL`);
    await q.query(`DROP INDEX "task_events_at_idx"`);
    await q.query(`CREATE INDEX "task_events_at_idx" ON "task_events" ("at") INCLUDE ("department_id", "kind")`);
    await q.query(`ALTER TABLE "task_events" DROP CONSTRAINT "task_events_kind_check"`);
    await q.query(`ALTER TABLE "task_events" ADD CONSTRAINT "task_events_kind_check" CHECK ("kind" IN ('yellow_card', 'red_card', 'extension', 'return'))`);
    await q.query(`ALTER TABLE "task_events" DROP COLUMN "withdrawn_at"`);
  }
}
