import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The call-back (回访) after closing: `rated_at` says when a task was last rated, so that a
 * rating given since it was closed is its call-back and the callback timer is not planned
 * again; the inbox gains the notice kind `callback` (the call-back is due).
 */
export class TaskCallback1763950000000 implements MigrationInterface {
  name = 'TaskCallback1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" ADD "rated_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check"
        CHECK ("kind" IN ('assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action', 'bulletin',
                          'calendar_year_missing', 'callback'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "notifications" WHERE "kind" = 'callback'`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check"
        CHECK ("kind" IN ('assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action', 'bulletin', 'calendar_year_missing'))`,
    );
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "rated_at"`);
  }
}
