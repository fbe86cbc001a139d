import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestEnv, runBuilt, type TestEnv } from './support/test-env.js';

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * With AUDIT_OWNER_ROLE, `migrate` gives the audit tables to a role of their own: the role the
 * application logs in as may read and append but can neither disable the append-only triggers
 * nor change a row. The two roles are this test's own and dropped after it.
 */
describe('the audit tables under an owner of their own', () => {
  let testEnv: TestEnv;
  let owner: string;
  let app: string;
  let admin: pg.Client;
  let asApp: pg.Client;

  beforeAll(async () => {
    testEnv = await createTestEnv({ migrated: false });
    owner = `${testEnv.queuePrefix}_audit`.toLowerCase();
    app = `${testEnv.queuePrefix}_app`.toLowerCase();
    admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE ROLE "${owner}" NOLOGIN`);
    await admin.query(`CREATE ROLE "${app}" LOGIN`);
  });

  afterAll(async () => {
    await asApp?.end();
    await testEnv?.dispose();
    if (admin) {
      for (const role of [app, owner]) if (role) await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      await admin.end();
    }
  });

  it('migrates, hands the audit tables over, and does it again idempotently', async () => {
    const env = { DATABASE_URL: testEnv.databaseUrl, AUDIT_OWNER_ROLE: owner, AUDIT_APP_ROLE: app };
    const first = await runBuilt('apps/cli/src/migrate.js', env);
    expect(first.stdout).toContain(`audit tables owned by ${owner}; ${app} may read and append only`);
    expect(first.code).toBe(0);
    const again = await runBuilt('apps/cli/src/migrate.js', env);
    expect(again.code).toBe(0);
    const db = new pg.Client({ connectionString: testEnv.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT tablename, tableowner FROM pg_tables WHERE tablename IN ('audit_entries', 'audit_anchors') ORDER BY 1`);
      expect(rows).toEqual([
        { tablename: 'audit_anchors', tableowner: owner },
        { tablename: 'audit_entries', tableowner: owner },
      ]);
    } finally {
      await db.end();
    }
  });

  it("leaves the application's role appending only: no trigger disabled, no row changed", async () => {
    const url = new URL(testEnv.databaseUrl);
    url.username = app;
    url.password = '';
    asApp = new pg.Client({ connectionString: url.toString() });
    await asApp.connect();
    const { rows } = await asApp.query(
      `INSERT INTO audit_anchors (cutoff, tasks, entries, heads_hash, prev_hash, hash) VALUES (now(), 0, 0, 'h', 'p', 'x') RETURNING id`,
    );
    expect(rows).toHaveLength(1);
    expect((await asApp.query(`SELECT count(*)::int AS n FROM audit_anchors`)).rows[0].n).toBe(1);
    await expect(asApp.query(`ALTER TABLE audit_anchors DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
    await expect(asApp.query(`ALTER TABLE audit_entries DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
    await expect(asApp.query(`DELETE FROM audit_anchors`)).rejects.toThrow(/permission denied/);
    await expect(asApp.query(`UPDATE audit_entries SET data = '{}'`)).rejects.toThrow(/permission denied/);
  });
});
