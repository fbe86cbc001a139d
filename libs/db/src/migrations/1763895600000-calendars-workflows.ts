import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CalendarsWorkflows1763895600000 implements MigrationInterface {
  name = 'CalendarsWorkflows1763895600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "calendars" (
        "key" text NOT NULL,
        "name" text NOT NULL,
        "timezone" text NOT NULL,
        "working_hours" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(6) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "calendars_pkey" PRIMARY KEY ("key")
      )`);
    await q.query(`
      CREATE TABLE "calendar_days" (
        "calendar_key" text NOT NULL,
        "date" date NOT NULL,
        "kind" text NOT NULL,
        "note" text,
        CONSTRAINT "calendar_days_pkey" PRIMARY KEY ("calendar_key", "date"),
        CONSTRAINT "calendar_days_kind_check" CHECK ("kind" IN ('holiday', 'workday')),
        CONSTRAINT "calendar_days_calendar_key_fkey" FOREIGN KEY ("calendar_key") REFERENCES "calendars"("key") ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE "workflow_versions" (
        "key" text NOT NULL,
        "version" integer NOT NULL,
        "name" text NOT NULL,
        "definition" jsonb NOT NULL,
        "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "published_by" uuid,
        CONSTRAINT "workflow_versions_pkey" PRIMARY KEY ("key", "version"),
        CONSTRAINT "workflow_versions_published_by_fkey" FOREIGN KEY ("published_by") REFERENCES "users"("id") ON DELETE SET NULL
      )`);
    // Published versions never change: the database refuses it, whoever asks.
    await q.query(`
      CREATE FUNCTION workflow_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.published_by IS DISTINCT FROM OLD.published_by
           AND NEW.key = OLD.key AND NEW.version = OLD.version AND NEW.definition = OLD.definition
           AND NEW.name = OLD.name AND NEW.published_at = OLD.published_at THEN
          RETURN NEW; -- the publisher's account was deleted (ON DELETE SET NULL)
        END IF;
        RAISE EXCEPTION 'workflow version %/% is published and cannot change', OLD.key, OLD.version;
      END $$`);
    await q.query(`
      CREATE TRIGGER workflow_versions_immutable BEFORE UPDATE OR DELETE ON "workflow_versions"
      FOR EACH ROW EXECUTE FUNCTION workflow_versions_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "workflow_versions"`);
    await q.query(`DROP FUNCTION workflow_versions_immutable()`);
    await q.query(`DROP TABLE "calendar_days"`);
    await q.query(`DROP TABLE "calendars"`);
  }
}
