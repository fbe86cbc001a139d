import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrgTasksAudit1763899200000 implements MigrationInterface {
  name = 'OrgTasksAudit1763899200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "departments" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "kind" text NOT NULL,
        "parent_id" uuid, "supervisor_department_id" uuid, "aliases" text array NOT NULL DEFAULT '{}',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "departments_not_own_parent" CHECK ("parent_id" IS DISTINCT FROM "id"),
        CONSTRAINT "departments_kind_check" CHECK ("kind" IN ('bureau', 'county', 'town', 'office', 'other')),
        CONSTRAINT "departments_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "departments_code_key" ON "departments" ("code")`);
    await q.query(`CREATE INDEX "departments_parent_id_idx" ON "departments" ("parent_id")`);
    await q.query(
      `ALTER TABLE "departments" ADD CONSTRAINT "departments_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "departments"("id") ON DELETE RESTRICT`,
    );
    await q.query(
      `ALTER TABLE "departments" ADD CONSTRAINT "departments_supervisor_department_id_fkey"
        FOREIGN KEY ("supervisor_department_id") REFERENCES "departments"("id") ON DELETE RESTRICT`,
    );
    // Users created before departments existed keep no dangling department id.
    await q.query(`UPDATE "users" SET "department_id" = NULL WHERE "department_id" IS NOT NULL`);
    await q.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT`,
    );

    // The supervising department of each department: its own, else the nearest ancestor's.
    await q.query(`
      CREATE VIEW "department_supervision" AS
      WITH RECURSIVE up(department_id, ancestor_id, depth) AS (
        SELECT id, id, 0 FROM departments
        UNION ALL
        SELECT up.department_id, d.parent_id, up.depth + 1
          FROM up JOIN departments d ON d.id = up.ancestor_id
         WHERE d.parent_id IS NOT NULL AND up.depth < 64
      )
      SELECT DISTINCT ON (up.department_id) up.department_id, a.supervisor_department_id
        FROM up JOIN departments a ON a.id = up.ancestor_id
       WHERE a.supervisor_department_id IS NOT NULL
       ORDER BY up.department_id, up.depth`);

    await q.query(`CREATE SEQUENCE "task_ref_seq"`);
    await q.query(`
      CREATE TABLE "tasks" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(), "ref" text NOT NULL, "workflow_key" text NOT NULL, "workflow_version" integer NOT NULL,
        "title" text NOT NULL, "body" text, "state" text NOT NULL, "state_entered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "parent_id" uuid,
        "external_ref" text, "priority" text NOT NULL DEFAULT 'normal', "assignee_id" uuid, "due_at" TIMESTAMP WITH TIME ZONE,
        "paused_since" TIMESTAMP WITH TIME ZONE, "card" text, "escalation_level" integer NOT NULL DEFAULT '0', "progress" integer,
        "data" jsonb NOT NULL DEFAULT '{}', "version" integer NOT NULL DEFAULT '1', "created_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "closed_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "tasks_progress_check" CHECK ("progress" IS NULL OR ("progress" >= 0 AND "progress" <= 100)),
        CONSTRAINT "tasks_card_check" CHECK ("card" IS NULL OR "card" IN ('yellow', 'red')),
        CONSTRAINT "tasks_priority_check" CHECK ("priority" IN ('normal', 'urgent')),
        CONSTRAINT "tasks_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "tasks_ref_key" ON "tasks" ("ref")`);
    await q.query(`CREATE INDEX "tasks_parent_id_idx" ON "tasks" ("parent_id")`);
    await q.query(`CREATE UNIQUE INDEX "tasks_external_ref_key" ON "tasks" ("external_ref")`);
    await q.query(`CREATE INDEX "tasks_due_at_open_idx" ON "tasks" ("due_at") WHERE "closed_at" IS NULL`);
    await q.query(`CREATE INDEX "tasks_created_at_id_idx" ON "tasks" ("created_at", "id")`);
    // Title search (q=) matches any part of a Chinese title: trigrams, not words.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX "tasks_title_trgm_idx" ON "tasks" USING gin ("title" gin_trgm_ops)`);
    await q.query(`ALTER TABLE "tasks" ADD CONSTRAINT "tasks_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "tasks"("id") ON DELETE RESTRICT`);
    await q.query(`ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL`);
    await q.query(`ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL`);

    await q.query(`
      CREATE TABLE "task_owners" (
        "task_id" uuid NOT NULL, "department_id" uuid NOT NULL, "role" text NOT NULL, "position" smallint NOT NULL,
        CONSTRAINT "task_owners_role_check" CHECK ("role" IN ('lead', 'co')),
        CONSTRAINT "task_owners_pkey" PRIMARY KEY ("task_id", "department_id"))`);
    await q.query(`CREATE INDEX "task_owners_department_id_task_id_idx" ON "task_owners" ("department_id", "task_id")`);
    await q.query(`ALTER TABLE "task_owners" ADD CONSTRAINT "task_owners_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE`);
    await q.query(`ALTER TABLE "task_owners" ADD CONSTRAINT "task_owners_department_id_fkey"
      FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT`);

    await q.query(`
      CREATE TABLE "timers" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(), "task_id" uuid NOT NULL, "key" text NOT NULL, "kind" text NOT NULL,
        "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'pending', "notify" text array NOT NULL,
        "level" integer, "card" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "fired_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "timers_task_id_key_key" UNIQUE ("task_id", "key"),
        CONSTRAINT "timers_status_check" CHECK ("status" IN ('pending', 'enqueued', 'fired', 'cancelled')),
        CONSTRAINT "timers_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "timers_due_at_live_idx" ON "timers" ("due_at") WHERE "status" IN ('pending', 'enqueued')`);
    await q.query(`ALTER TABLE "timers" ADD CONSTRAINT "timers_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE`);

    await q.query(`
      CREATE TABLE "outbox" (
        "id" BIGSERIAL NOT NULL, "event" text NOT NULL, "task_id" uuid, "payload" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "dispatched_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "outbox_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "outbox_undispatched_idx" ON "outbox" ("id") WHERE "dispatched_at" IS NULL`);

    await q.query(`
      CREATE TABLE "idempotency_keys" (
        "user_id" uuid NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "status_code" integer NOT NULL, "response" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("user_id", "key"))`);
    await q.query(`CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys" ("created_at")`);

    await q.query(`
      CREATE TABLE "audit_entries" (
        "task_id" uuid NOT NULL, "seq" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_role" text NOT NULL,
        "action" text NOT NULL, "from_state" text, "to_state" text, "data" jsonb NOT NULL, "request_id" text,
        "prev_hash" text NOT NULL, "hash" text NOT NULL,
        CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("task_id", "seq"))`);
    await q.query(`CREATE INDEX "audit_entries_at_idx" ON "audit_entries" ("at")`);
    await q.query(
      `ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE RESTRICT`,
    );
    await q.query(`
      CREATE TABLE "audit_anchors" (
        "id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "cutoff" TIMESTAMP WITH TIME ZONE NOT NULL,
        "tasks" integer NOT NULL, "entries" bigint NOT NULL, "heads_hash" text NOT NULL, "prev_hash" text NOT NULL, "hash" text NOT NULL,
        CONSTRAINT "audit_anchors_pkey" PRIMARY KEY ("id"))`);

    // The audit trail is append-only for everyone, the application's own role included.
    await q.query(`
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME;
      END $$`);
    for (const table of ['audit_entries', 'audit_anchors']) {
      await q.query(`CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_anchors', 'audit_entries', 'idempotency_keys', 'outbox', 'timers', 'task_owners', 'tasks']) {
      await q.query(`DROP TABLE "${table}"`);
    }
    await q.query(`DROP FUNCTION audit_append_only()`);
    await q.query(`DROP SEQUENCE "task_ref_seq"`);
    await q.query(`DROP VIEW "department_supervision"`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "users_department_id_fkey"`);
    await q.query(`DROP TABLE "departments"`);
  }
}
