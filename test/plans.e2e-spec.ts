import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { login } from './support/org-fixture.js';
import { createTestEnv, freePort, ROOT, type RunningApp, runBuilt, startBuilt, type TestEnv } from './support/test-env.js';
import { SEED_004_OWNERS } from './support/seed-004-owners.js';

/**
 * Seed 004 as the bureau published it: the repository's own copy, the plan seed:demo imports by
 * default. Read unconditionally: a missing file fails the suite, it never skips.
 */
const SEED_004 = join(ROOT, 'apps', 'cli', 'demo', 'shaoguan-2023-plan.txt');
const seedText = readFileSync(SEED_004, 'utf8');

const CHINESE_NUMBERS =
  '一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十 二十一 二十二 二十三 二十四 二十五 二十六 二十七 二十八 二十九 三十 三十一 三十二 三十三 三十四 三十五 三十六 三十七 三十八 三十九 四十 四十一'.split(
    ' ',
  );

/** A plan of another city and style: full-width punctuation, 牵头单位/配合单位 lines, short names. */
const OTHER_PLAN = `韶关市政务服务便民热线2024年工作任务分工方案
一、提升接诉即办能力
1．推动热线工单“一号通办”，全年按时办结率达到99%以上。
牵头单位：市政数局；配合单位：市发改局、市卫健局
完成时限：2024年6月底前
2．完善县区工单督办机制。（各县（市、区）政府负责）
二、强化考核通报
3．每季度通报各单位办理情况。（市政府督查室牵头，人社局配合）`;

describe('plans: a work plan becomes owned tasks in one step', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let db: pg.Client;
  let admin: string;
  let supervisor: string;
  let seedStdout: string;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    // The whole demo: Shaoguan's organisation, seed 004 imported as the 2023 plan, hotline tickets.
    const seeded = await runBuilt('apps/cli/src/seed-demo.js', { DATABASE_URL: testEnv.databaseUrl, DEMO_PASSWORD: 'demo-password' }, 120_000);
    if (seeded.code !== 0) throw new Error(`seed:demo failed: ${seeded.stderr}`);
    seedStdout = seeded.stdout;
    const port = await freePort();
    api = await startBuilt('apps/api/src/main.js', { ...testEnv.env, PORT: String(port) }, port, '/api/v1/health');
    admin = await login(api.url, 'admin', 'demo-password');
    supervisor = await login(api.url, 'supervisor', 'demo-password');
    db = new pg.Client({ connectionString: testEnv.databaseUrl });
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await api?.stop();
    await testEnv?.dispose();
  });

  it('previews seed 004 against the demo organisation: 41 items, their owners in order, eight county fan-outs, nothing unresolved', async () => {
    const preview = (await request(api.url).post('/api/v1/plans/import/preview').set('Authorization', admin).send({ text: seedText, year: 2023 }).expect(200))
      .body;
    expect(preview.title).toBe('韶关市数字政府改革建设2023年工作要点');
    expect(preview.year).toBe(2023);
    expect(preview.unresolved).toEqual([]);
    expect(preview.items.map((i: { number: string }) => i.number)).toEqual(CHINESE_NUMBERS.map((n) => `(${n})`));
    expect(preview.items.map((i: { owners: { name: string; role: string }[] }) => i.owners.map((o) => `${o.name}:${o.role}`))).toEqual(SEED_004_OWNERS);
    for (const item of preview.items) for (const owner of item.owners) expect(owner.departmentId).toEqual(expect.any(String));

    const counties = (await db.query(`SELECT id FROM departments WHERE kind = 'county' ORDER BY code`)).rows.map((r) => r.id);
    expect(counties).toHaveLength(10);
    const fannedOut = preview.items.filter((i: { fanOut: string[] }) => i.fanOut.length > 0);
    expect(fannedOut).toHaveLength(8);
    for (const item of fannedOut) expect(item.fanOut).toEqual(counties);

    const first = preview.items[0];
    expect(first.title).toBe('紧扣指标任务,统筹推进均衡化发展工作');
    // 年底 of 2023: the end of 31 December where the calendar is (Asia/Shanghai).
    expect(first.dueAt).toBe('2023-12-31T15:59:59.999Z');
    expect(first.targets.some((t: string) => t.includes('80%'))).toBe(true);
    expect(preview.items.every((i: { section: string | null }) => i.section)).toBe(true);
    expect(new Set(preview.items.map((i: { section: string }) => i.section)).size).toBe(9);
    // A preview writes nothing.
    expect((await db.query(`SELECT count(*)::int AS n FROM plans`)).rows[0].n).toBe(1);
  });

  it('imported seed 004 as the demo plan of this year: a fanned-out item is a parent with one child per county; importing again creates nothing', async () => {
    expect(seedStdout).toMatch(/plan imported: \d+ task\(s\)/);
    const plans = (await request(api.url).get('/api/v1/plans').set('Authorization', supervisor).expect(200)).body;
    expect(plans.total).toBe(1);
    const [plan] = plans.items;
    // The demo is dated from the day it is seeded (test/demo-seed): the plan is that year's.
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const title = `韶关市数字政府改革建设${year}年工作要点`;
    expect(plan).toMatchObject({ title, year, workflow: 'plan-item', itemCount: 41, taskCount: 41 + 8 * 10 });

    const rollup = (await request(api.url).get(`/api/v1/plans/${plan.id}`).set('Authorization', supervisor).expect(200)).body;
    expect(rollup.items).toHaveLength(41);
    expect(rollup.children).toEqual({ done: 0, total: 80 });
    expect(rollup.byLight.green + rollup.byLight.yellow + rollup.byLight.red).toBe(41);
    const parent = rollup.items.find((i: { children: { total: number } }) => i.children.total > 0);
    expect(parent.children).toEqual({ done: 0, total: 10 });
    const children = (await request(api.url).get('/api/v1/tasks').query({ parentId: parent.taskId, limit: 100 }).set('Authorization', admin).expect(200)).body;
    expect(children.total).toBe(10);
    const countyLeads = new Set(children.items.map((c: { owners: { departmentId: string }[] }) => c.owners[0]!.departmentId));
    expect(countyLeads.size).toBe(10);
    expect(rollup.byDepartment.find((d: { name: string }) => d.name === '韶关市政务服务数据管理局').tasks).toBeGreaterThan(20);

    // The stored source is the text the demo imported: the same again creates nothing.
    const [{ source }] = (await db.query(`SELECT source FROM plans WHERE id = $1`, [plan.id])).rows;
    const again = await request(api.url).post('/api/v1/plans/import').set('Authorization', admin).send({ text: source, year }).expect(200);
    expect(again.body).toEqual({ planId: plan.id, tasksCreated: 0 });
    expect((await db.query(`SELECT count(*)::int AS n FROM tasks WHERE plan_id = $1`, [plan.id])).rows[0].n).toBe(121);
  });

  it('imports another style of plan: short names resolved, co-units, due dates from the text, counties fanned out', async () => {
    const preview = (await request(api.url).post('/api/v1/plans/import/preview').set('Authorization', admin).send({ text: OTHER_PLAN }).expect(200)).body;
    expect(preview).toMatchObject({ year: 2024, unresolved: [] });
    expect(preview.items.map((i: { number: string }) => i.number)).toEqual(['1．', '2．', '3．']);
    expect(preview.items[0].owners.map((o: { name: string; role: string }) => [o.name, o.role])).toEqual([
      ['市政数局', 'lead'],
      ['市发改局', 'co'],
      ['市卫健局', 'co'],
    ]);
    expect(preview.items[0].dueAt).toBe('2024-06-30T15:59:59.999Z');
    expect(preview.items[0].targets.some((t: string) => t.includes('99%'))).toBe(true);
    expect(preview.items[1]).toMatchObject({ owners: [], fanOut: expect.arrayContaining([expect.any(String)]) });
    expect(preview.items[1].fanOut).toHaveLength(10);
    expect(preview.items[2].owners.map((o: { name: string; role: string }) => [o.name, o.role])).toEqual([
      ['市政府督查室', 'lead'],
      ['市人社局', 'co'],
    ]);

    const created = await request(api.url).post('/api/v1/plans/import').set('Authorization', admin).send({ text: OTHER_PLAN }).expect(201);
    // Three items, ten county shares of the second.
    expect(created.body.tasksCreated).toBe(13);
    const tasks = (await db.query(`SELECT t.title, t.due_at, t.parent_id, t.data FROM tasks t WHERE t.plan_id = $1 ORDER BY t.ref`, [created.body.planId]))
      .rows;
    expect(tasks[0].due_at.toISOString()).toBe('2024-06-30T15:59:59.999Z');
    expect(tasks[0].data.plan).toMatchObject({ number: '1．', section: '提升接诉即办能力' });
    // No deadline named: due by the end of the plan's year.
    expect(tasks[1].due_at.toISOString()).toBe('2024-12-31T15:59:59.999Z');
    expect(tasks.filter((t) => t.parent_id)).toHaveLength(10);
    const audit = (
      await db.query(`SELECT count(*)::int AS n FROM audit_entries a JOIN tasks t ON t.id = a.task_id WHERE t.plan_id = $1 AND a.action = 'create'`, [
        created.body.planId,
      ])
    ).rows[0].n;
    expect(audit).toBe(13);
    await request(api.url)
      .post('/api/v1/plans/import')
      .set('Authorization', admin)
      .send({ text: OTHER_PLAN })
      .expect(200, { planId: created.body.planId, tasksCreated: 0 });
  });

  it('refuses to import a plan naming units the organisation does not know, and says which, creating nothing', async () => {
    const text = '某市2025年工作要点\n一、总体要求\n（一）建设城市大脑。（市未知局、市政数局牵头）';
    const preview = (await request(api.url).post('/api/v1/plans/import/preview').set('Authorization', admin).send({ text }).expect(200)).body;
    expect(preview.unresolved).toEqual(['市未知局']);
    expect(preview.items[0].owners).toEqual([
      { name: '市未知局', departmentId: null, role: 'lead' },
      { name: '市政数局', departmentId: expect.any(String), role: 'lead' },
    ]);
    const refused = await request(api.url).post('/api/v1/plans/import').set('Authorization', admin).send({ text }).expect(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.unresolved).toEqual([{ name: '市未知局', items: ['（一）'] }]);
    // The console shows the detail as it is: Chinese first, naming the unit and its item.
    expect(refused.body.detail).toMatch(/^以下单位名称在组织机构中找不到：市未知局（事项（一））。/);
    expect((await db.query(`SELECT count(*)::int AS n FROM plans WHERE year = 2025`)).rows[0].n).toBe(0);
  });

  it('resolves a name once it is a department’s alias (PATCH /departments/:id), keeping its other aliases, and then imports', async () => {
    const text = '某市2025年数据工作要点\n一、总体要求\n（一）建设城市运行管理平台。（市城运中心牵头）';
    const before = (await request(api.url).post('/api/v1/plans/import/preview').set('Authorization', admin).send({ text }).expect(200)).body;
    expect(before.unresolved).toEqual(['市城运中心']);
    const [{ id, aliases }] = (await db.query(`SELECT id, aliases FROM departments WHERE name = '韶关市政务服务数据管理局'`)).rows;
    const patched = await request(api.url)
      .patch(`/api/v1/departments/${id}`)
      .set('Authorization', admin)
      .send({ aliases: [...aliases, '市城运中心'] })
      .expect(200);
    expect(patched.body.aliases).toEqual([...aliases, '市城运中心']);
    const after = (await request(api.url).post('/api/v1/plans/import/preview').set('Authorization', admin).send({ text }).expect(200)).body;
    expect(after.unresolved).toEqual([]);
    expect(after.items[0].owners).toEqual([{ name: '市城运中心', departmentId: id, role: 'lead' }]);
    const created = await request(api.url).post('/api/v1/plans/import').set('Authorization', admin).send({ text }).expect(201);
    expect(created.body.tasksCreated).toBe(1);
    const lead = await db.query(`SELECT o.department_id FROM task_owners o JOIN tasks t ON t.id = o.task_id WHERE t.plan_id = $1 AND o.position = 0`, [
      created.body.planId,
    ]);
    expect(lead.rows).toEqual([{ department_id: id }]);
  });

  it('lets only admins preview and import; a text without a year needs one', async () => {
    await request(api.url).post('/api/v1/plans/import/preview').set('Authorization', supervisor).send({ text: OTHER_PLAN }).expect(403);
    await request(api.url).post('/api/v1/plans/import').set('Authorization', supervisor).send({ text: OTHER_PLAN }).expect(403);
    const noYear = await request(api.url)
      .post('/api/v1/plans/import/preview')
      .set('Authorization', admin)
      .send({ text: '工作要点\n（一）做好工作。（市政数局牵头）' })
      .expect(400);
    expect(noYear.body.errors).toEqual([{ path: 'year', message: expect.any(String) }]);
  });

  it('gives a newcomer a living system: hotline tickets in every state, logins for every department', async () => {
    const states = (await db.query(`SELECT DISTINCT state FROM tasks WHERE workflow_key = 'hotline-ticket'`)).rows.map((r) => r.state);
    expect(states.sort()).toEqual(['closed', 'dispatched', 'extension-requested', 'processing', 'returned', 'suspended']);
    const rated = (await db.query(`SELECT data->>'rating' AS rating FROM tasks WHERE data ? 'rating'`)).rows.map((r) => r.rating);
    expect(new Set(rated)).toEqual(new Set(['satisfied', 'basically_satisfied', 'unsatisfied']));
    const lead = await login(api.url, 'wjq-lead', 'demo-password');
    const inbox = (await request(api.url).get('/api/v1/tasks').set('Authorization', lead).expect(200)).body;
    // 武江区's tickets and its shares of the plan's county items.
    expect(inbox.total).toBeGreaterThanOrEqual(9);
  });
});
