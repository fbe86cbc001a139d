import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login limits counted in PostgreSQL when there is no Redis, so such a deployment still limits
 * password guessing: one row per client address and username with its failures and the end of
 * its window; expired rows are deleted by the api (the index on `expires_at` finds them).
 * Unlogged: a count is worth no WAL flush (it halved a login's count here), and a crash that
 * empties the table only gives every address a fresh budget.
 */
export class LoginFailures1764300000000 implements MigrationInterface {
  name = 'LoginFailures1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE "login_failures" (
        "bucket" text NOT NULL, "username" text NOT NULL, "attempts" integer NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "login_failures_pkey" PRIMARY KEY ("bucket", "username"))`);
    await q.query(`CREATE INDEX "login_failures_expires_at_idx" ON "login_failures" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "login_failures"`);
  }
}
