import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL, not Redis, says which effects are still to do, so a Redis that loses its data loses
 * none of them: `outbox.done_at` is set when an event's notice and deliveries are written (not
 * when its job is queued), `notifications.mail_pending` marks a notice whose e-mail copy is not
 * sent yet. Partial indexes keep the sweeps that re-queue unfinished work as cheap as the work left.
 */
export class EffectsDone1763938800000 implements MigrationInterface {
  name = 'EffectsDone1763938800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" ADD "done_at" timestamp with time zone`);
    // Events handed to BullMQ before this release are taken as done: their jobs ran or are queued.
    await q.query(`UPDATE "outbox" SET "done_at" = "dispatched_at" WHERE "dispatched_at" IS NOT NULL`);
    await q.query(`CREATE INDEX "outbox_undone_idx" ON "outbox" ("id") WHERE "done_at" IS NULL`);
    await q.query(`ALTER TABLE "notifications" ADD "mail_pending" boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX "notifications_mail_pending_idx" ON "notifications" ("id") WHERE "mail_pending"`);
    // A delivery given up used to keep the next_attempt_at of its last failure: it is given up
    // (null) now, or the sweep would send months-old events again. 12 is the webhooks queue's attempts.
    await q.query(`UPDATE "webhook_deliveries" SET "next_attempt_at" = NULL WHERE "delivered_at" IS NULL AND "attempts" >= 12`);
    // Deliveries under way (not delivered, not given up), which the delivery sweep reads.
    await q.query(
      `CREATE INDEX "webhook_deliveries_under_way_idx" ON "webhook_deliveries" ("created_at")
        WHERE "delivered_at" IS NULL AND ("next_attempt_at" IS NOT NULL OR "attempts" = 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "webhook_deliveries_under_way_idx"`);
    await q.query(`DROP INDEX "notifications_mail_pending_idx"`);
    await q.query(`ALTER TABLE "notifications" DROP COLUMN "mail_pending"`);
    await q.query(`DROP INDEX "outbox_undone_idx"`);
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "done_at"`);
  }
}
