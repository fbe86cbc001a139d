import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files on tasks (issue 16.5): their metadata, and their bytes in a table of their own so that
 * another store (S3-compatible) can take the bytes over without touching the metadata.
 */
export class Attachments1763970000000 implements MigrationInterface {
  name = 'Attachments1763970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "attachment_blobs" (
        "key" text NOT NULL, "content" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "attachment_blobs_pkey" PRIMARY KEY ("key"))`);
    // PDFs, photos and Office files are compressed already: kept out of line, not compressed again.
    await q.query(`ALTER TABLE "attachment_blobs" ALTER COLUMN "content" SET STORAGE EXTERNAL`);
    await q.query(`
      CREATE TABLE "attachments" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(), "task_id" uuid NOT NULL, "filename" text NOT NULL, "content_type" text NOT NULL,
        "size" integer NOT NULL, "sha256" text NOT NULL, "storage_key" text NOT NULL, "uploaded_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "position" smallint NOT NULL DEFAULT 0,
        CONSTRAINT "attachments_storage_key_key" UNIQUE ("storage_key"),
        CONSTRAINT "attachments_size_check" CHECK ("size" > 0),
        CONSTRAINT "attachments_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "attachments_task_id_created_at_idx" ON "attachments" ("task_id", "created_at", "position")`);
    await q.query(`ALTER TABLE "attachments" ADD CONSTRAINT "attachments_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE RESTRICT`);
    await q.query(
      `ALTER TABLE "attachments" ADD CONSTRAINT "attachments_uploaded_by_fkey" FOREIGN KEY ("uploaded_by") REFERENCES "users"("id") ON DELETE SET NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "attachments"`);
    await q.query(`DROP TABLE "attachment_blobs"`);
  }
}
