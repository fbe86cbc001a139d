import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDataSource } from '@duban/db';
import type { DataSource, EntityManager } from 'typeorm';
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
    await expect(ds.query(`INSERT INTO users (username, display_name, password_hash) VALUES ('wang', '王', 'x')`)).rejects.toThrow(/users_username_key/);
  });

  it('refuse a role outside handler, lead, supervisor, admin', async () => {
    await expect(ds.query(`INSERT INTO users (username, display_name, password_hash, roles) VALUES ('li', '李', 'x', '{root}')`)).rejects.toThrow(
      /users_roles_check/,
    );
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

  describe('a department’s list columns on task_owners', () => {
    let depts: string[];
    let taskId: string;
    const listColumns = `created_at, workflow_key, state, card, due_at, closed_at, paused_since`;
    const ownerCopies = async () => ds.query(`SELECT department_id, ${listColumns} FROM task_owners WHERE task_id = $1 ORDER BY position`, [taskId]);
    const taskRow = async () => (await ds.query(`SELECT ${listColumns} FROM tasks WHERE id = $1`, [taskId]))[0];

    beforeAll(async () => {
      depts = (await ds.query(`INSERT INTO departments (code, name, kind) VALUES ('l1', '甲局', 'office'), ('l2', '乙局', 'office') RETURNING id`)).map(
        (r: { id: string }) => r.id,
      );
      [{ id: taskId }] = await ds.query(
        `INSERT INTO tasks (ref, workflow_key, workflow_version, title, state, state_entered_at, due_at, created_at)
         VALUES ('L-1', 'hotline-ticket', 1, '路灯不亮', 'dispatched', now(), '2025-10-16T09:30:00Z', '2025-10-09T01:00:00Z') RETURNING id`,
      );
      // As the services write them: who owns the task, nothing else.
      await ds.query(`INSERT INTO task_owners (task_id, department_id, role, position) VALUES ($1, $2, 'lead', 0), ($1, $3, 'co', 1)`, [taskId, ...depts]);
    });

    it('are the task’s own when an owner is added', async () => {
      const task = await taskRow();
      expect(await ownerCopies()).toEqual(depts.map((d) => ({ department_id: d, ...task })));
      expect(task.state).toBe('dispatched');
    });

    it('follow the task through every change a list filters on', async () => {
      await ds.query(`UPDATE tasks SET state = 'processing', card = 'yellow', due_at = due_at + interval '1 day' WHERE id = $1`, [taskId]);
      await ds.query(`UPDATE tasks SET paused_since = now() WHERE id = $1`, [taskId]);
      let task = await taskRow();
      expect(task).toMatchObject({ state: 'processing', card: 'yellow', paused_since: expect.any(Date) });
      expect(await ownerCopies()).toEqual(depts.map((d) => ({ department_id: d, ...task })));
      await ds.query(`UPDATE tasks SET state = 'closed', closed_at = now(), paused_since = NULL WHERE id = $1`, [taskId]);
      task = await taskRow();
      expect(await ownerCopies()).toEqual(depts.map((d) => ({ department_id: d, ...task })));
    });

    it('write a transitioned task once: the owner arrays change only when ownership does', async () => {
      const tasksUpdated = (m: EntityManager) =>
        m.query(`SELECT n_tup_upd::int AS n FROM pg_stat_xact_user_tables WHERE relname = 'tasks'`).then((r) => r[0].n);
      await ds.transaction(async (m) => {
        const before = await tasksUpdated(m);
        await m.query(`UPDATE tasks SET state = 'reopened', closed_at = NULL WHERE id = $1`, [taskId]);
        expect((await tasksUpdated(m)) - before).toBe(1);
      });
      await ds.query(`UPDATE task_owners SET role = 'lead' WHERE task_id = $1 AND department_id = $2`, [taskId, depts[1]]);
      expect(await ds.query(`SELECT lead_department_ids, owner_department_ids FROM tasks WHERE id = $1`, [taskId])).toEqual([
        { lead_department_ids: depts, owner_department_ids: depts },
      ]);
    });
  });
});
