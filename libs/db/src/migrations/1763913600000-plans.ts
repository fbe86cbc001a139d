import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Plans1763913600000 implements MigrationInterface {
  name = 'Plans1763913600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "plans" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" text NOT NULL, "year" integer NOT NULL, "workflow_key" text NOT NULL,
        "source" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "plans_title_year_key" UNIQUE ("title", "year"),
        CONSTRAINT "plans_pkey" PRIMARY KEY ("id"))`);
    await q.query(`ALTER TABLE "plans" ADD CONSTRAINT "plans_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL`);
    await q.query(`ALTER TABLE "tasks" ADD "plan_id" uuid`);
    await q.query(`CREATE INDEX "tasks_plan_id_idx" ON "tasks" ("plan_id")`);
    await q.query(`ALTER TABLE "tasks" ADD CONSTRAINT "tasks_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE RESTRICT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" DROP CONSTRAINT "tasks_plan_id_fkey"`);
    await q.query(`DROP INDEX "tasks_plan_id_idx"`);
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "plan_id"`);
    await q.query(`DROP TABLE "plans"`);
  }
}
