import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Duban's one clock: `duban_now()` is PostgreSQL's current time, to the millisecond (what the
 * audit chain hashes as ISO text). Every instant Duban writes (audit links, notices, report
 * facts, fired timers) and every "is it due yet" comes from it, so that api and worker hosts
 * whose clocks disagree never fire a timer early or date a link before the one it follows.
 * `clock_timestamp()`, not `now()`: it is read after a transaction's row locks are held.
 * STABLE (one instant per statement, as Duban reads it) so that the planner uses it in index
 * conditions: declared VOLATILE, "due_at <= duban_now()" filtered the whole index of live timers.
 */
export class DatabaseClock1763960000000 implements MigrationInterface {
  name = 'DatabaseClock1763960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION duban_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$ SELECT date_trunc('milliseconds', clock_timestamp()) $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION duban_now()`);
  }
}
