import type { MigrationInterface, QueryRunner } from 'typeorm';

// As TaskCoOpinions1763983000000 left them.
const KINDS =
  `'assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action', 'bulletin', ` +
  `'calendar_year_missing', 'callback', 'urged', 'carded', 'co_opinion_due', 'co_opinion_late'`;

/**
 * A revised plan (issue 19.5) tells the owners of the tasks it withdraws (撤销) and of those it
 * changes (计划修订): the inbox gains the notice kinds `withdrawn` and `revised`.
 */
export class PlanRevisionNotices1764100000000 implements MigrationInterface {
  name = 'PlanRevisionNotices1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check" CHECK ("kind" IN (${KINDS}, 'withdrawn', 'revised'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "notifications" WHERE "kind" IN ('withdrawn', 'revised')`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check" CHECK ("kind" IN (${KINDS}))`);
  }
}
