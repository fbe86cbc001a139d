import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which schedule governs each calendar day, and which years a calendar has a schedule for.
 *
 * `calendar_days.governing_year` scopes a year's reload to the days that year's schedule set:
 * holiday-cn's 2019 file lists 2018-12-29…31, and loading 2018 afterwards must leave them.
 * Existing days are given their date's year, except 元旦 days in December, which belong to the
 * next year's schedule (the State Council announces 元旦 with the year it opens).
 *
 * `calendar_years` lists the years loaded; arithmetic across any other year is flagged
 * uncertain. Years that already have days count as loaded (source `earlier`).
 *
 * Admins are told, from 1 November, that next year's schedule is missing: a new notice kind.
 */
export class CalendarYears1763940000000 implements MigrationInterface {
  name = 'CalendarYears1763940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "calendar_days" ADD "governing_year" integer`);
    await q.query(
      `UPDATE "calendar_days" SET "governing_year" = EXTRACT(YEAR FROM "date")::int
         + CASE WHEN EXTRACT(MONTH FROM "date") = 12 AND "note" LIKE '%元旦%' THEN 1 ELSE 0 END`,
    );
    await q.query(`ALTER TABLE "calendar_days" ALTER COLUMN "governing_year" SET NOT NULL`);
    await q.query(`
      CREATE TABLE "calendar_years" (
        "calendar_key" text NOT NULL,
        "year" integer NOT NULL,
        "source" text NOT NULL,
        "loaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "calendar_years_pkey" PRIMARY KEY ("calendar_key", "year"),
        CONSTRAINT "calendar_years_calendar_key_fkey" FOREIGN KEY ("calendar_key") REFERENCES "calendars"("key") ON DELETE CASCADE
      )`);
    await q.query(
      `INSERT INTO "calendar_years" ("calendar_key", "year", "source")
       SELECT DISTINCT "calendar_key", "governing_year", 'earlier' FROM "calendar_days"`,
    );
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check"
        CHECK ("kind" IN ('assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action', 'bulletin', 'calendar_year_missing'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "notifications" WHERE "kind" = 'calendar_year_missing'`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check"
        CHECK ("kind" IN ('assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action', 'bulletin'))`,
    );
    await q.query(`DROP TABLE "calendar_years"`);
    await q.query(`ALTER TABLE "calendar_days" DROP COLUMN "governing_year"`);
  }
}
