import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDataSource } from '@duban/db';
import type { DataSource } from 'typeorm';
import { createTestEnv, type TestEnv } from './support/test-env.js';

describe('entities and migrations', () => {
  let testEnv: TestEnv;
  let ds: DataSource;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    ds = createDataSource({ url: testEnv.databaseUrl, poolSize: 1 });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await testEnv?.dispose();
  });

  it('describe the same schema: generating a migration now would produce nothing', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('refuse two users whose names differ only by case', async () => {
    await ds.query(`INSERT INTO users (username, display_name, password_hash) VALUES ('Wang', '王', 'x')`);
    await expect(ds.query(`INSERT INTO users (username, display_name, password_hash) VALUES ('wang', '王', 'x')`)).rejects.toThrow(
      /users_username_key/,
    );
  });

  it('refuse a role outside handler, lead, supervisor, admin', async () => {
    await expect(
      ds.query(`INSERT INTO users (username, display_name, password_hash, roles) VALUES ('li', '李', 'x', '{root}')`),
    ).rejects.toThrow(/users_roles_check/);
  });

  it('refuse to change or delete a published workflow version', async () => {
    await ds.query(`INSERT INTO workflow_versions (key, version, name, definition) VALUES ('w', 1, 'W', '{}')`);
    await expect(ds.query(`UPDATE workflow_versions SET name = 'changed' WHERE key = 'w'`)).rejects.toThrow(/cannot change/);
    await expect(ds.query(`DELETE FROM workflow_versions WHERE key = 'w'`)).rejects.toThrow(/cannot change/);
  });

  it('let a publisher account be deleted, keeping the version', async () => {
    const [{ id }] = await ds.query(`INSERT INTO users (username, display_name, password_hash) VALUES ('pub', 'P', 'x') RETURNING id`);
    await ds.query(`INSERT INTO workflow_versions (key, version, name, definition, published_by) VALUES ('p', 1, 'P', '{}', $1)`, [id]);
    await ds.query(`DELETE FROM users WHERE id = $1`, [id]);
    expect(await ds.query(`SELECT published_by FROM workflow_versions WHERE key = 'p'`)).toEqual([{ published_by: null }]);
  });
});
