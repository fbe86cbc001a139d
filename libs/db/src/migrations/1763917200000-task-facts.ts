import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the bureaus' KPIs count, kept on the task when it happens, so that a report over years
 * is an aggregate over indexed columns: the primary lead department, acceptance and whether it
 * was on time against the workflow's SLA, paused working time, handling time in working days
 * and closing early, computed on the task's own calendar; the rating; and the dated events
 * (cards, extensions, returns) in task_events. Monthly bulletins are kept in bulletins.
 */
export class TaskFacts1763917200000 implements MigrationInterface {
  name = 'TaskFacts1763917200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" ADD "primary_department_id" uuid`);
    await q.query(`ALTER TABLE "tasks" ADD "accepted_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "tasks" ADD "accepted_on_time" boolean`);
    await q.query(`ALTER TABLE "tasks" ADD "paused_working_ms" bigint NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE "tasks" ADD "handling_working_days" double precision`);
    await q.query(`ALTER TABLE "tasks" ADD "closed_early" boolean`);
    await q.query(`ALTER TABLE "tasks" ADD "rating" text`);
    await q.query(
      `ALTER TABLE "tasks" ADD CONSTRAINT "tasks_rating_check" CHECK ("rating" IS NULL OR "rating" IN ('satisfied', 'basically_satisfied', 'unsatisfied'))`,
    );
    await q.query(`
      UPDATE tasks t SET primary_department_id = o.department_id
        FROM task_owners o WHERE o.task_id = t.id AND o.role = 'lead'
         AND o.position = (SELECT min(position) FROM task_owners x WHERE x.task_id = t.id AND x.role = 'lead')`);
    await q.query(`UPDATE tasks SET rating = data->>'rating' WHERE data->>'rating' IN ('satisfied', 'basically_satisfied', 'unsatisfied')`);
    await q.query(`ALTER TABLE "tasks" ADD CONSTRAINT "tasks_primary_department_id_fkey"
      FOREIGN KEY ("primary_department_id") REFERENCES "departments"("id") ON DELETE RESTRICT`);
    await q.query(`CREATE INDEX "tasks_primary_department_id_created_at_idx" ON "tasks" ("primary_department_id", "created_at")`);
    // Each KPI measure reads its period through one of these and nothing else: index-only scans,
    // whatever order the history was written in.
    await q.query(`CREATE INDEX "tasks_created_at_kpi_idx" ON "tasks" ("created_at") INCLUDE ("primary_department_id", "workflow_key")`);
    await q.query(
      `CREATE INDEX "tasks_closed_at_idx" ON "tasks" ("closed_at")
        INCLUDE ("primary_department_id", "workflow_key", "due_at", "closed_early", "handling_working_days", "rating") WHERE "closed_at" IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "tasks_accepted_at_idx" ON "tasks" ("accepted_at")
        INCLUDE ("primary_department_id", "workflow_key", "accepted_on_time") WHERE "accepted_at" IS NOT NULL`,
    );
    await q.query(`CREATE INDEX "tasks_due_at_idx" ON "tasks" ("due_at")`);
    // "Overdue and open at instant T" is T inside (due_at, closed_at] (empty when closed early, unbounded while open):
    // a stabbing query this index answers for any T in history. reports.service.ts writes the same expression.
    await q.query(
      `CREATE INDEX "tasks_overdue_span_idx" ON "tasks"
        USING gist (tstzrange("due_at", CASE WHEN "closed_at" < "due_at" THEN "due_at" ELSE "closed_at" END, '(]')) WHERE "due_at" IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE "task_events" (
        "id" BIGSERIAL NOT NULL, "task_id" uuid NOT NULL, "department_id" uuid, "kind" text NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "task_events_kind_check" CHECK ("kind" IN ('yellow_card', 'red_card', 'extension', 'return')),
        CONSTRAINT "task_events_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "task_events_at_idx" ON "task_events" ("at") INCLUDE ("department_id", "kind")`);
    await q.query(`CREATE INDEX "task_events_task_id_idx" ON "task_events" ("task_id")`);
    await q.query(`ALTER TABLE "task_events" ADD CONSTRAINT "task_events_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE`);

    await q.query(`
      CREATE TABLE "bulletins" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(), "period_from" TIMESTAMP WITH TIME ZONE NOT NULL,
        "period_to" TIMESTAMP WITH TIME ZONE NOT NULL, "title" text NOT NULL, "content" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "bulletins_period_from_period_to_key" UNIQUE ("period_from", "period_to"),
        CONSTRAINT "bulletins_pkey" PRIMARY KEY ("id"))`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check"
        CHECK ("kind" IN ('assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action', 'bulletin'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await q.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check"
        CHECK ("kind" IN ('assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action'))`,
    );
    await q.query(`DROP TABLE "bulletins"`);
    await q.query(`DROP TABLE "task_events"`);
    await q.query(`DROP INDEX "tasks_overdue_span_idx"`);
    await q.query(`DROP INDEX "tasks_due_at_idx"`);
    await q.query(`DROP INDEX "tasks_accepted_at_idx"`);
    await q.query(`DROP INDEX "tasks_closed_at_idx"`);
    await q.query(`DROP INDEX "tasks_created_at_kpi_idx"`);
    await q.query(`DROP INDEX "tasks_primary_department_id_created_at_idx"`);
    await q.query(`ALTER TABLE "tasks" DROP CONSTRAINT "tasks_primary_department_id_fkey"`);
    await q.query(`ALTER TABLE "tasks" DROP CONSTRAINT "tasks_rating_check"`);
    for (const c of ['rating', 'closed_early', 'handling_working_days', 'paused_working_ms', 'accepted_on_time', 'accepted_at', 'primary_department_id']) {
      await q.query(`ALTER TABLE "tasks" DROP COLUMN "${c}"`);
    }
  }
}
