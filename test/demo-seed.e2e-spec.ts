import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { lightSql } from '@duban/tasks';
import { skewedClock } from './support/clock.js';
import { createTestEnv, runBuilt, type TestEnv } from './support/test-env.js';

/** The seeding day of this test: Monday 15 June 2026, 10:00 in Shaoguan. */
const TODAY = '2026-06-15T10:00:00+08:00';

/**
 * The demo as a first login meets it (README, "The demo"): the plan of the seeding day's year
 * with deadlines around that day, tickets in every state, a realistic mix of lights and a
 * handful of overdue tasks; and re-seeding never replaces a workflow version an admin published.
 */
describe('seed:demo, dated from the day it is seeded', () => {
  let testEnv: TestEnv;
  let db: pg.Client;
  let env: Record<string, string>;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    db = new pg.Client({ connectionString: testEnv.databaseUrl });
    await db.connect();
    // Duban's clock is the database's: stopped at the seeding day, the process's own run as near to it.
    await db.query(
      `CREATE OR REPLACE FUNCTION duban_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$ SELECT '${new Date(TODAY).toISOString()}'::timestamptz $$`,
    );
    env = { DATABASE_URL: testEnv.databaseUrl, DEMO_PASSWORD: 'demo-password', ...skewedClock(Date.parse(TODAY) - Date.now()) };
    const seeded = await runBuilt('apps/cli/src/seed-demo.js', env, 180_000);
    if (seeded.code !== 0) throw new Error(`seed:demo: ${seeded.stderr}`);
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await testEnv?.dispose();
  });

  it('imports the plan as this year’s, with a mix of green, yellow and red and only a handful overdue', async () => {
    const [plan] = (await db.query(`SELECT year FROM plans`)).rows;
    expect(plan).toEqual({ year: 2026 });
    const [counts] = (
      await db.query(`
        SELECT count(*) FILTER (WHERE ${lightSql('green')})::int AS green, count(*) FILTER (WHERE ${lightSql('yellow')})::int AS yellow,
               count(*) FILTER (WHERE ${lightSql('red')})::int AS red,
               count(*) FILTER (WHERE t.closed_at IS NULL AND t.paused_since IS NULL AND t.due_at < duban_now())::int AS overdue,
               count(*) FILTER (WHERE t.plan_id IS NOT NULL AND ${lightSql('yellow')})::int AS plan_yellow,
               count(*) FILTER (WHERE t.plan_id IS NOT NULL AND ${lightSql('red')})::int AS plan_red
          FROM tasks t`)
    ).rows;
    expect(counts.green).toBeGreaterThan(50);
    expect(counts.yellow).toBeGreaterThanOrEqual(5);
    expect(counts.plan_yellow).toBeGreaterThanOrEqual(3);
    expect(counts.plan_red).toBeGreaterThanOrEqual(2);
    expect(counts.red).toBeGreaterThanOrEqual(3);
    expect(counts.overdue).toBeGreaterThanOrEqual(3);
    expect(counts.overdue).toBeLessThanOrEqual(15);
    // What the worker would notify on starting: an overdue notice per task past its due date, a handful.
    const [{ due }] = (await db.query(`SELECT count(*)::int AS due FROM timers WHERE kind = 'overdue' AND status = 'pending' AND due_at <= duban_now()`)).rows;
    expect(due).toBeLessThanOrEqual(15);
    const states = (await db.query(`SELECT DISTINCT state FROM tasks WHERE workflow_key = 'hotline-ticket'`)).rows.map((r) => r.state).sort();
    expect(states).toEqual(['closed', 'dispatched', 'processing', 'returned', 'suspended', 'extension-requested'].sort());
  });

  it('leaves a workflow version an admin published after the seed the latest when seeding again', async () => {
    const [admin] = (await db.query(`SELECT id FROM users WHERE username = 'admin'`)).rows;
    const [latest] = (await db.query(`SELECT version, definition FROM workflow_versions WHERE key = 'hotline-ticket' ORDER BY version DESC LIMIT 1`)).rows;
    const changed = { ...latest.definition, name: '12345热线工单（本地调整）' };
    await db.query(`INSERT INTO workflow_versions (key, version, name, definition, published_by) VALUES ('hotline-ticket', $1, $2, $3, $4)`, [
      latest.version + 1,
      changed.name,
      changed,
      admin.id,
    ]);
    const again = await runBuilt('apps/cli/src/seed-demo.js', env, 180_000);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`workflow hotline-ticket v${latest.version} already published`);
    const [now] = (await db.query(`SELECT version, name FROM workflow_versions WHERE key = 'hotline-ticket' ORDER BY version DESC LIMIT 1`)).rows;
    expect(now).toEqual({ version: latest.version + 1, name: '12345热线工单（本地调整）' });
    // The plan and the tickets are there once.
    expect((await db.query(`SELECT count(*)::int AS n FROM plans`)).rows[0].n).toBe(1);
  }, 240_000);
});
