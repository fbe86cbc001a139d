import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions can be ended. Every token carries the user's `token_version` at its signing; a
 * password, role or department change and disabling the user bump it, and the api refuses a
 * token whose version is not the row's. Tokens signed before this migration carry no version
 * and count as version 0, the column's value for every existing user, so nobody is logged out
 * by the upgrade.
 */
export class UserSessions1763931600000 implements MigrationInterface {
  name = 'UserSessions1763931600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "token_version" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "users" ADD "disabled" boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" DROP COLUMN "disabled"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "token_version"`);
  }
}
