import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type Scope, scopeCondition, TASK_COLUMNS, type TaskFilter, taskListQuery, taskSummaryQuery } from '@duban/tasks';
import { createTestEnv, type TestEnv } from './support/test-env.js';

/** 100,000 tasks over 50 departments: every list and scope query must be served by an index. */
describe('query plans on 100k tasks', () => {
  let testEnv: TestEnv;
  let db: pg.Client;
  let departments: string[];
  let someTask: string;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    db = new pg.Client({ connectionString: testEnv.databaseUrl });
    await db.connect();
    await db.query(`INSERT INTO departments (code, name, kind) SELECT 'd' || i, '部门' || i, 'office' FROM generate_series(1, 50) i`);
    await db.query(`
      INSERT INTO tasks (ref, workflow_key, workflow_version, title, state, state_entered_at, due_at, created_at, updated_at, closed_at, card,
                         yellow_from, escalation_level)
      SELECT 'B' || i, CASE WHEN i % 5 = 0 THEN 'plan-item' ELSE 'hotline-ticket' END, 1,
             '工单' || i || '号 关于' || (ARRAY['路灯不亮', '井盖缺失', '噪音扰民', '供水中断'])[1 + i % 4],
             CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'processing' END, now(),
             now() + ((i % 100) - 50) * interval '1 day', now() - (i % 5000) * interval '1 hour', now(),
             CASE WHEN i % 3 = 0 THEN now() END, CASE WHEN i % 97 = 0 THEN 'yellow' END,
             now() + ((i % 100) - 51) * interval '1 day', CASE WHEN i % 100 = 77 THEN 1 ELSE 0 END
        FROM generate_series(1, 100000) i`);
    await db.query(`
      INSERT INTO task_owners (task_id, department_id, role, position)
      SELECT t.id, d.id, 'lead', 0
        FROM (SELECT id, row_number() OVER (ORDER BY id) % 50 AS k FROM tasks) t
        JOIN (SELECT id, row_number() OVER (ORDER BY code) - 1 AS k FROM departments) d ON d.k = t.k`);
    // What TaskStore writes: the primary lead.
    await db.query(`UPDATE tasks t SET primary_department_id = o.department_id FROM task_owners o WHERE o.task_id = t.id`);
    // What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
    await db.query('VACUUM ANALYZE');
    departments = (await db.query(`SELECT id FROM departments ORDER BY code`)).rows.map((r) => r.id);
    someTask = (await db.query(`SELECT id FROM tasks LIMIT 1`)).rows[0].id;
  }, 300_000);

  afterAll(async () => {
    await db?.end();
    await testEnv?.dispose();
  });

  const plan = async (sql: string, params: unknown[]) => {
    const rows = (await db.query(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN'] as string);
    return rows.join('\n');
  };
  const lead = (): Scope => ({ all: false, ownDepartment: departments[7]!, supervised: [] });
  // Three of fifty departments (6% of tasks). At ten (20%) the planner rightly weighs a full scan
  // against the index and the choice flips from run to run: a scope that wide is not selective.
  const supervisor = (): Scope => ({ all: false, ownDepartment: null, supervised: departments.slice(0, 3) });
  const admin: Scope = { all: true, ownDepartment: null, supervised: [] };

  const cases: [string, () => Scope, TaskFilter][] = [
    ['a lead’s inbox', lead, {}],
    ['a lead’s open overdue tasks', lead, { overdue: true }],
    ['a lead’s tasks in one state', lead, { state: 'processing' }],
    ['a supervisor’s departments', supervisor, {}],
    ['a supervisor’s yellow cards', supervisor, { card: 'yellow' }],
    ['an admin’s overdue tasks', () => admin, { overdue: true }],
    ['an admin’s title search', () => admin, { q: '工单12345号' }],
    ['one department for an admin', () => admin, { departmentId: '00000000-0000-4000-8000-000000000000' }],
    // The console's filters (issue 17): red and yellow lights, escalations, refs, due ranges and what waits on a supervisor.
    ['an admin’s red lights', () => admin, { light: 'red' }],
    ['an admin’s yellow lights', () => admin, { light: 'yellow' }],
    ['a supervisor’s open yellow lights, most urgent first', supervisor, { light: 'yellow', open: true, sort: 'urgency' }],
    ['a supervisor’s green lights', supervisor, { light: 'green' }],
    ['an admin’s escalated tasks', () => admin, { escalated: true }],
    ['an admin’s ref search', () => admin, { q: 'DB-00012345' }],
    ['an admin’s tasks due this week', () => admin, { dueFrom: new Date(), dueBefore: new Date(Date.now() + 7 * 86_400_000), sort: 'dueAt' }],
    [
      'what waits on a supervisor',
      supervisor,
      {
        awaiting: {
          userId: '00000000-0000-4000-8000-000000000001',
          supervised: [],
          supervisor: [{ key: 'plan-item', version: 1, state: 'review' }],
          creator: [{ key: 'hotline-ticket', version: 1, state: 'returned' }],
          admin: [],
        },
      },
    ],
    ['a lead’s red lights, soonest due first', lead, { light: 'red', sort: 'dueAt' }],
  ];

  it.each(cases)('%s: page and total use indexes, never a full scan of tasks', async (_name, scope, filter) => {
    const query = taskListQuery(scope(), filter.departmentId ? { ...filter, departmentId: departments[3]! } : filter, 1, 50);
    const page = await plan(query.page, query.pageParams);
    const count = await plan(query.count, query.params);
    for (const p of [page, count]) {
      expect(p).not.toMatch(/Seq Scan on tasks/);
      expect(p).not.toMatch(/Seq Scan on task_owners/);
      expect(p).toMatch(/Index|Bitmap/);
    }
  });

  // The goal at 1,000,000 tasks (bench:reports) is a lead's list in < 20 ms at p95: its total
  // must not visit the department's tasks one heap page each, whatever the filter. The children
  // it supervises (分解, tasks.supervising_department_ids) are the only tasks it visits: found
  // through their GIN index, sorted apart and merged with the owner entries read in index order.
  it.each([
    ['a lead’s inbox', {}],
    ['a lead’s tasks in one state', { state: 'processing' }],
    ['a lead’s open overdue tasks', { overdue: true }],
    ['a lead’s yellow-carded hotline tickets', { card: 'yellow', workflow: 'hotline-ticket' }],
  ] as [string, TaskFilter][])(
    '%s: the total is an index-only count of the department’s owner entries plus its supervised children, the page reads tasks by key',
    async (_name, filter) => {
      const query = taskListQuery(lead(), filter, 3, 20);
      const count = await plan(query.count, query.params);
      expect(count).toMatch(/Index Only Scan using task_owners_list_idx on task_owners/);
      // The supervised children come from an index: the supervising GIN index, or a narrower one
      // when a filter has it (the card index for carded tickets); tasks are never read whole.
      expect(count).toMatch(/Bitmap Index Scan on tasks_supervising_department_ids_idx|Index Scan using tasks_card_idx on tasks/);
      expect(count).not.toMatch(/Seq Scan on tasks\b/);
      const page = await plan(query.page, query.pageParams);
      expect(page).toMatch(/Merge Append[^\n]*\n\s*Sort Key: [^\n]*created_at DESC, [^\n]*task_id DESC/);
      expect(page).toMatch(/Index Only Scan using task_owners_list_idx on task_owners/);
      expect(page).toMatch(/Bitmap Index Scan on tasks_supervising_department_ids_idx|Index Scan using tasks_card_idx on tasks/);
      expect(page).toMatch(/Index Scan using tasks_pkey on tasks/);
      // The one sort is of the supervised children's own (few) rows.
      expect(page.match(/-> {2}Sort {2}\(/g)).toHaveLength(1);
      expect(page).toMatch(/-> {2}Sort {2}\([^\n]*\n\s*Sort Key: t_\d+\.created_at DESC/);
      // The co-units' opinions of a page's tasks (none here) and their units' names (a few dozen
      // departments, read per opinion): the planner may read those small tables whole, never tasks.
      expect(page).not.toMatch(/Seq Scan on (?!(task_co_opinions|departments)\b)/);
    },
  );

  it('finds a task by its exact ref through the unique index on refs', async () => {
    const query = taskListQuery(admin, { q: 'DB-00012345' }, 1, 50);
    expect(await plan(query.count, query.params)).toMatch(/tasks_ref_key/);
  });

  // An admin's desk counts every open task of the city: here two thirds of the table, which a
  // sequential scan reads best; where open tasks are few (a bureau's history is mostly closed)
  // tasks_open_department_idx carries every column it counts.
  it.each([
    ['a supervisor', supervisor],
    ['a lead', lead],
  ] as [string, () => Scope][])('counts the supervisor’s desk for %s without a full scan of tasks', async (_name, scope) => {
    const { sql, params } = taskSummaryQuery(scope());
    const p = await plan(sql, params);
    expect(p).not.toMatch(/Seq Scan on tasks/);
    expect(p).toMatch(/Index|Bitmap/);
  });

  it('reads one task through the scope by its primary key', async () => {
    const params: unknown[] = [someTask];
    const p = await plan(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 AND ${scopeCondition(lead(), params)}`, params);
    expect(p).toMatch(/Index Scan using tasks_pkey/);
    // Only the few departments (names of co-units' opinions) may be read whole; never the tasks or their owners.
    expect(p).not.toMatch(/Seq Scan on (tasks|task_owners)\b/);
  });
});
