import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Requests to re-plan the live timers of the tasks counted on a calendar, written in the same
 * transaction as the calendar change that calls for one, so that no change is left un-re-planned
 * whatever happens to Redis: the timer pump hands open requests to the `timer-replans` queue,
 * whose job works through the tasks in bounded batches, keeping its place (`after_task_id`) and
 * the number of tasks whose timers moved (`replanned`), and closes the request (`done_at`).
 */
export class TimerReplans1763963600000 implements MigrationInterface {
  name = 'TimerReplans1763963600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "timer_replans" (
        "id" BIGSERIAL NOT NULL, "calendar_key" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "enqueued_at" TIMESTAMP WITH TIME ZONE, "after_task_id" uuid, "replanned" integer NOT NULL DEFAULT 0, "done_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "timer_replans_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "timer_replans_open_idx" ON "timer_replans" ("id") WHERE "done_at" IS NULL`);
    await q.query(`ALTER TABLE "timer_replans" ADD CONSTRAINT "timer_replans_calendar_key_fkey"
      FOREIGN KEY ("calendar_key") REFERENCES "calendars"("key") ON DELETE CASCADE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "timer_replans"`);
  }
}
