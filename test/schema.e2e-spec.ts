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
});
