import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationsWebhooks1763906400000 implements MigrationInterface {
  name = 'NotificationsWebhooks1763906400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "notifications" (
        "id" BIGSERIAL NOT NULL, "user_id" uuid NOT NULL, "kind" text NOT NULL, "task_id" uuid, "title" text NOT NULL, "body" text NOT NULL,
        "data" jsonb NOT NULL DEFAULT '{}', "source" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "read_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "notifications_user_id_source_key" UNIQUE ("user_id", "source"),
        CONSTRAINT "notifications_kind_check" CHECK ("kind" IN ('assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action')),
        CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "notifications_unread_idx" ON "notifications" ("user_id") WHERE "read_at" IS NULL`);
    await q.query(`CREATE INDEX "notifications_user_id_id_idx" ON "notifications" ("user_id", "id")`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "notifications_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE`);

    await q.query(`
      CREATE TABLE "webhooks" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(), "url" text NOT NULL, "secret" text NOT NULL, "events" text array NOT NULL,
        "department_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id"))`);
    await q.query(
      `ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE CASCADE`,
    );
    await q.query(`
      CREATE TABLE "webhook_deliveries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(), "webhook_id" uuid NOT NULL, "outbox_id" bigint NOT NULL, "event" text NOT NULL,
        "payload" jsonb NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "last_status" integer, "last_error" text,
        "next_attempt_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "webhook_deliveries_webhook_id_outbox_id_key" UNIQUE ("webhook_id", "outbox_id"),
        CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "webhook_deliveries_webhook_id_created_at_idx" ON "webhook_deliveries" ("webhook_id", "created_at")`);
    await q.query(`ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey"
      FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE`);

    // Wakes the outbox relay right after a commit that wrote events (it also polls, in case).
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('duban_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER outbox_inserted AFTER INSERT ON "outbox" FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER outbox_inserted ON "outbox"`);
    await q.query(`DROP FUNCTION outbox_notify()`);
    await q.query(`DROP TABLE "webhook_deliveries"`);
    await q.query(`DROP TABLE "webhooks"`);
    await q.query(`DROP TABLE "notifications"`);
  }
}
