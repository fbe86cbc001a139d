import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1763892000000 implements MigrationInterface {
  name = 'Init1763892000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "username" text NOT NULL,
        "display_name" text NOT NULL,
        "department_id" uuid,
        "roles" text array NOT NULL DEFAULT '{}',
        "email" text,
        "password_hash" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "users_roles_check"
          CHECK ("roles" <@ ARRAY['handler', 'lead', 'supervisor', 'admin']::text[])
      )`);
    // Login looks users up by name case-insensitively; two accounts may not differ by case only.
    await q.query(`CREATE UNIQUE INDEX "users_username_key" ON "users" (lower("username"))`);
    await q.query(`CREATE INDEX "users_department_id_idx" ON "users" ("department_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "users"`);
  }
}
