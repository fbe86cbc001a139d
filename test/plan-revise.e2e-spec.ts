import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import { login, type Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

/** This year, where the calendar is: the plan's items are due within it. */
const YEAR = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
const TITLE = `某市${YEAR}年数据工作要点`;

/** The plan as first circulated, in the fixture organisation's units (support/org-fixture). */
const FIRST = `${TITLE}
一、夯实数据基础
1．建设城市数据资源目录。（市政务服务数据管理局牵头，市农业农村局配合）
2．推进农业数据共享。（市农业农村局牵头）
3．完善农业统计考核办法。（市农业农村局牵头）
4．开展数据安全检查。（市政务服务数据管理局牵头）`;

/**
 * The same plan revised: item 2 led by 政务服务科 and due on 20 December, item 3 dropped, item 4
 * reworded, item 5 new; item 1 as it was.
 */
const REVISED = `${TITLE}
一、夯实数据基础
1．建设城市数据资源目录。（市政务服务数据管理局牵头，市农业农村局配合）
2．推进农业数据共享。（政务服务科牵头，${YEAR}年12月20日前完成）
4．开展数据安全专项检查和风险评估。（市政务服务数据管理局牵头）
5．建设农业农村大数据平台。（市督查室牵头）`;

interface Differences {
  added: { index: number; number: string; title: string }[];
  removed: { taskId: string; number: string; title: string; open: boolean }[];
  changed: {
    taskId: string;
    index: number;
    number: string;
    title: string;
    open: boolean;
    changes: { field: string; from: string | null; to: string | null }[];
  }[];
}

describe('plans: revising a plan imported before (issue 19.5)', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let worker: RunningApp;
  let org: Org;
  let db: pg.Client;
  let planId: string;
  /** The first import's tasks by item number. */
  let task: Record<string, string>;

  const http = () => request(api.url);
  const preview = async (text: string) =>
    (await http().post('/api/v1/plans/import/preview').set('Authorization', org.token.admin).send({ text }).expect(200)).body;
  const counts = async () =>
    (
      await db.query(
        `SELECT (SELECT count(*)::int FROM tasks) AS tasks, (SELECT count(*)::int FROM audit_entries) AS audit,
                (SELECT count(*)::int FROM outbox) AS outbox, (SELECT count(*)::int FROM timers) AS timers, (SELECT max(version)::int FROM tasks) AS version`,
      )
    ).rows[0];
  const liveTimers = async (taskId: string) =>
    (await db.query(`SELECT key, kind, due_at FROM timers WHERE task_id = $1 AND status IN ('pending', 'enqueued') ORDER BY due_at, key`, [taskId])).rows as {
      key: string;
      kind: string;
      due_at: Date;
    }[];
  /** A task's notices of `kind` once its outbox events are done, by recipient username. */
  const notices = async (taskId: string, kind: string) => {
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE task_id = $1 AND done_at IS NULL`, [taskId])).rows[0].n === 0,
      `the events of task ${taskId} to be done`,
    );
    return (
      await db.query(
        `SELECT u.username, n.title, n.body FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.task_id = $1 AND n.kind = $2 ORDER BY u.username`,
        [taskId, kind],
      )
    ).rows as { username: string; title: string; body: string }[];
  };

  beforeAll(async () => {
    ({ testEnv, api, org, db } = await startStack());
    const port = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...testEnv.env, WORKER_PORT: String(port) }, port, '/health');
    const created = await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: FIRST }).expect(201);
    expect(created.body.tasksCreated).toBe(4);
    planId = created.body.planId;
    const rows = (await db.query(`SELECT id, data #>> '{plan,number}' AS number FROM tasks WHERE plan_id = $1`, [planId])).rows;
    task = Object.fromEntries(rows.map((r) => [r.number.replace('．', ''), r.id]));
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await stopStack({ testEnv, api, db });
  });

  it('previews a plan that exists with its differences: one added, one removed, one with a new lead and due date, one reworded', async () => {
    const fresh = await preview(FIRST.replace(TITLE, `某市${YEAR}年另一份工作要点`));
    expect(fresh).toMatchObject({ existingPlanId: null, differences: null });

    const same = await preview(FIRST);
    expect(same).toMatchObject({ existingPlanId: planId, differences: { added: [], removed: [], changed: [] } });

    const p = await preview(REVISED);
    expect(p.existingPlanId).toBe(planId);
    const d = p.differences as Differences;
    expect(d.added).toEqual([{ index: 3, number: '5．', title: '建设农业农村大数据平台' }]);
    expect(d.removed).toEqual([{ taskId: task['3'], number: '3．', title: '完善农业统计考核办法', open: true }]);
    expect(d.changed).toEqual([
      {
        taskId: task['2'],
        index: 1,
        number: '2．',
        title: '推进农业数据共享',
        open: true,
        changes: [
          { field: 'leads', from: '市农业农村局', to: '政务服务科' },
          { field: 'dueAt', from: `${YEAR}-12-31T15:59:59.999Z`, to: `${YEAR}-12-20T15:59:59.999Z` },
        ],
      },
      {
        taskId: task['4'],
        index: 2,
        number: '4．',
        title: '开展数据安全专项检查和风险评估',
        open: true,
        changes: [
          { field: 'title', from: '开展数据安全检查', to: '开展数据安全专项检查和风险评估' },
          { field: 'body', from: expect.stringContaining('开展数据安全检查'), to: expect.stringContaining('开展数据安全专项检查和风险评估') },
        ],
      },
    ]);
  });

  it('refuses a changed plan without revise: 409 plan-changed in Chinese with the differences, nothing written', async () => {
    const before = await counts();
    const refused = await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: REVISED }).expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'plan-changed', status: 409, existingPlanId: planId });
    expect(refused.body.detail).toMatch(new RegExp(`^计划《${TITLE}》已导入，内容有变化：新增1项、删除1项、修改2项；确认后带 revise: true 再导入`));
    expect(refused.body.differences.added).toHaveLength(1);
    expect(refused.body.differences.removed.map((r: { taskId: string }) => r.taskId)).toEqual([task['3']]);
    expect(refused.body.differences.changed.map((c: { taskId: string }) => c.taskId)).toEqual([task['2'], task['4']]);
    expect(await counts()).toEqual(before);
  });

  it('revises with revise: true in one go: the new item a task, the removed one withdrawn, the changed ones rewritten through the write path', async () => {
    const timersBefore = await liveTimers(task['2']!);
    const revised = await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: REVISED, revise: true }).expect(200);
    expect(revised.body).toEqual({ planId, tasksCreated: 1, revised: { added: 1, removed: 1, changed: 2 } });

    const rows = (
      await db.query(
        `SELECT t.id, t.title, t.body, t.state, t.closed_at, t.due_at, t.version, t.primary_department_id, t.data #>> '{plan,number}' AS number,
                t.handling_working_days, t.closed_early, t.owner_department_ids
           FROM tasks t WHERE t.plan_id = $1 ORDER BY t.ref`,
        [planId],
      )
    ).rows;
    expect(rows.map((r) => [r.number, r.state])).toEqual([
      ['1．', 'assigned'],
      ['2．', 'assigned'],
      ['3．', 'withdrawn'],
      ['4．', 'assigned'],
      ['5．', 'assigned'],
    ]);
    const [one, two, three, four] = rows;
    expect(one.version).toBe(1);

    // 撤销: closed without the closing facts of a finished task, its timers cancelled, the owners told.
    expect(three.closed_at).toBeInstanceOf(Date);
    expect([three.handling_working_days, three.closed_early]).toEqual([null, null]);
    expect(await liveTimers(three.id)).toEqual([]);
    const withdrawnView = (await http().get(`/api/v1/tasks/${three.id}`).set('Authorization', org.token.admin).expect(200)).body;
    expect(withdrawnView).toMatchObject({ state: 'withdrawn', stateLabel: '已撤销', allowedActions: [] });
    const trail = (await http().get(`/api/v1/tasks/${three.id}/audit`).set('Authorization', org.token.admin).expect(200)).body;
    expect(trail.at(-1)).toMatchObject({ action: 'withdraw', fromState: 'assigned', toState: 'withdrawn' });
    expect(trail.at(-1).data.comment).toBe(`计划《${TITLE}》修订：删除事项3．完善农业统计考核办法`);
    const told = await notices(three.id, 'withdrawn');
    expect(told.map((n) => n.username)).toEqual(['outsider']);
    expect(told[0]!.title).toBe('【撤销】完善农业统计考核办法');
    expect(told[0]!.body).toContain('任务已结束，无需再办理');

    // A new lead and due date: owners replaced, due date moved, timers re-planned, the new owners told.
    expect(two.primary_department_id).toBe(org.dept.O2);
    expect(two.owner_department_ids).toEqual([org.dept.O2]);
    expect(two.due_at.toISOString()).toBe(`${YEAR}-12-20T15:59:59.999Z`);
    expect(two.version).toBe(2);
    const timersAfter = await liveTimers(two.id);
    expect(timersAfter.length).toBeGreaterThan(0);
    expect(timersAfter).not.toEqual(timersBefore);
    // Every notice tied to the due date now leads up to, or follows, 20 December rather than 31 December.
    const escalation = (timers: typeof timersAfter) => timers.find((t) => t.kind === 'escalation')!.due_at.getTime();
    expect(escalation(timersAfter)).toBeLessThan(escalation(timersBefore));
    expect(escalation(timersAfter)).toBeGreaterThanOrEqual(two.due_at.getTime());
    const moved = (await db.query(`SELECT count(*)::int AS n FROM timers WHERE task_id = $1 AND status = 'cancelled'`, [two.id])).rows[0].n;
    expect(moved + timersAfter.filter((t) => !timersBefore.some((b) => b.key === t.key && b.due_at.getTime() === t.due_at.getTime())).length).toBeGreaterThan(
      0,
    );
    const revisedTrail = (await http().get(`/api/v1/tasks/${two.id}/audit`).set('Authorization', org.token.admin).expect(200)).body;
    expect(revisedTrail.at(-1)).toMatchObject({ action: 'revise', fromState: 'assigned', toState: 'assigned' });
    expect(revisedTrail.at(-1).data.dueAt).toEqual({ from: `${YEAR}-12-31T15:59:59.999Z`, to: `${YEAR}-12-20T15:59:59.999Z` });
    expect(revisedTrail.at(-1).data.comment).toContain('牵头单位：市农业农村局 → 政务服务科');
    const toldRevised = await notices(two.id, 'revised');
    // The new lead unit and the one the revision removed (no longer an owner, yet told it is off the task).
    expect(toldRevised.map((n) => n.username)).toEqual(['lead2', 'outsider']);
    expect(toldRevised[0]!.body).toContain('牵头单位：市农业农村局 → 政务服务科');
    // The unit that no longer owns it no longer sees it.
    await http().get(`/api/v1/tasks/${two.id}`).set('Authorization', org.token.outsider).expect(404);

    // A new wording: title and body rewritten, an audit entry holding both.
    expect(four.title).toBe('开展数据安全专项检查和风险评估');
    expect(four.body).toContain('开展数据安全专项检查和风险评估');
    const wordingTrail = (await http().get(`/api/v1/tasks/${four.id}/audit`).set('Authorization', org.token.admin).expect(200)).body;
    expect(wordingTrail.at(-1).data.title).toEqual({ from: '开展数据安全检查', to: '开展数据安全专项检查和风险评估' });

    // The added item is created as on import.
    expect(rows[4]).toMatchObject({ title: '建设农业农村大数据平台', primary_department_id: org.dept.S2, version: 1 });

    // The plan's roll-up no longer counts the withdrawn item.
    const rollup = (await http().get(`/api/v1/plans/${planId}`).set('Authorization', org.token.admin).expect(200)).body;
    expect(rollup.items.map((i: { number: string }) => i.number)).toEqual(['1．', '2．', '4．', '5．']);
    expect(rollup).toMatchObject({ itemCount: 4, taskCount: 4, closedCount: 0 });

    for (const r of rows) {
      await http().get(`/api/v1/tasks/${r.id}/audit/verify`).set('Authorization', org.token.admin).expect(200, { valid: true, entries: r.version });
    }
  });

  it('counts a withdrawn task neither as closed nor as closed on time', async () => {
    const now = new Date();
    const from = new Date(now.getTime() - 86_400_000).toISOString();
    const to = new Date(now.getTime() + 86_400_000).toISOString();
    const kpis = (await http().get('/api/v1/reports/kpis').query({ from, to }).set('Authorization', org.token.admin).expect(200)).body;
    expect(kpis.totals).toMatchObject({ closed: 0, closedOnTime: 0 });
  });

  it('answers 200 with nothing written when the revised plan is imported again unchanged', async () => {
    const before = await counts();
    await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: REVISED }).expect(200, { planId, tasksCreated: 0 });
    await http()
      .post('/api/v1/plans/import')
      .set('Authorization', org.token.admin)
      .send({ text: REVISED, revise: true })
      .expect(200, { planId, tasksCreated: 0 });
    expect(await counts()).toEqual(before);
    expect((await preview(REVISED)).differences).toEqual({ added: [], removed: [], changed: [] });
  });

  it('revises fanned-out items with their counties’ shares: a share follows its item’s due date, a removed item takes its shares with it', async () => {
    for (const [code, name] of [
      ['c1', '武江区政府'],
      ['c2', '浈江区政府'],
    ]) {
      await http().post('/api/v1/departments').set('Authorization', org.token.admin).send({ code, name, kind: 'county', parentId: org.dept.B }).expect(201);
    }
    const title = `某市${YEAR}年县区数据工作要点`;
    const first = `${title}\n一、县区任务\n1．建设县级数据平台。（市政务服务数据管理局牵头，各县（市、区）政府负责）\n2．开展县级数据普查。（市政务服务数据管理局牵头，各县（市、区）政府负责）`;
    const revised = `${title}\n一、县区任务\n1．建设县级数据平台。（市政务服务数据管理局牵头，各县（市、区）政府负责，${YEAR}年12月18日前完成）\n3．推广县级数据应用。（市政务服务数据管理局牵头，各县（市、区）政府负责）`;
    const created = await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: first }).expect(201);
    expect(created.body.tasksCreated).toBe(6);
    const revisedPlan = await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: revised, revise: true }).expect(200);
    expect(revisedPlan.body).toEqual({ planId: created.body.planId, tasksCreated: 3, revised: { added: 1, removed: 1, changed: 1 } });
    const rows = (
      await db.query(
        `SELECT t.data #>> '{plan,number}' AS number, t.parent_id IS NOT NULL AS share, t.state, t.due_at FROM tasks t WHERE t.plan_id = $1 ORDER BY t.ref`,
        [created.body.planId],
      )
    ).rows.map((r) => `${r.number}${r.share ? '·县' : ''} ${r.state} ${r.due_at.toISOString().slice(0, 10)}`);
    expect(rows).toEqual(
      [
        '1． assigned 2026-12-18',
        '1．·县 assigned 2026-12-18',
        '1．·县 assigned 2026-12-18',
        '2． withdrawn 2026-12-31',
        '2．·县 withdrawn 2026-12-31',
        '2．·县 withdrawn 2026-12-31',
        '3． assigned 2026-12-31',
        '3．·县 assigned 2026-12-31',
        '3．·县 assigned 2026-12-31',
      ].map((r) => r.replaceAll('2026', String(YEAR))),
    );
  });

  it('keeps an approved extension when the same plan is imported again, and when a revision rewords an item', async () => {
    const title = `某市${YEAR}年数据资源工作要点`;
    const text = (one: string, two: string) => `${title}\n一、数据资源\n1．${one}。（数据资源科牵头）\n2．${two}。（数据资源科牵头）`;
    const first = text('编制数据资源目录', '开展数据质量评估');
    const created = await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: first }).expect(201);
    const id = async (number: string) =>
      (await db.query(`SELECT id FROM tasks WHERE plan_id = $1 AND data #>> '{plan,number}' = $2`, [created.body.planId, number])).rows[0].id as string;
    const extended = await id('1．');
    const act = (who: string, body: object) => http().post(`/api/v1/tasks/${extended}/actions`).set('Authorization', who).send(body).expect(200);
    await act(org.token.lead, { action: 'accept' });
    await act(org.token.lead, { action: 'request-extension', dueAt: `${YEAR + 1}-01-29T17:30:00+08:00`, comment: '需协调' });
    const granted = (await act(org.token.supervisor, { action: 'approve-extension', comment: '同意' })).body;
    const newDue = new Date(`${YEAR + 1}-01-29T17:30:00+08:00`).toISOString();
    expect(granted.dueAt).toBe(newDue);
    const dueOf = async (taskId: string) => ((await db.query(`SELECT due_at FROM tasks WHERE id = $1`, [taskId])).rows[0].due_at as Date).toISOString();

    // The same text: no change, though the task's due date is no longer the text's.
    await http()
      .post('/api/v1/plans/import')
      .set('Authorization', org.token.admin)
      .send({ text: first })
      .expect(200, { planId: created.body.planId, tasksCreated: 0 });
    expect((await preview(first)).differences).toEqual({ added: [], removed: [], changed: [] });

    // Another item reworded: the extended one is no change, its date stays.
    const other = text('编制数据资源目录', '开展数据质量评估和整改');
    const revisedOther = await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: other, revise: true }).expect(200);
    expect(revisedOther.body.revised).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(await dueOf(extended)).toBe(newDue);

    // The extended item itself reworded: its wording changes, its granted date does not.
    const reworded = text('编制全市数据资源目录', '开展数据质量评估和整改');
    const d = (await preview(reworded)).differences as Differences;
    expect(d.changed.map((c) => c.changes.map((f) => f.field))).toEqual([['title', 'body']]);
    await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: reworded, revise: true }).expect(200);
    expect(await dueOf(extended)).toBe(newDue);
    expect((await db.query(`SELECT title FROM tasks WHERE id = $1`, [extended])).rows[0].title).toBe('编制全市数据资源目录');

    // The text's own date changed: the item takes it, and that text read again is no change.
    const redated = reworded.replace('（数据资源科牵头）', `（数据资源科牵头，${YEAR}年12月20日前完成）`);
    await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: redated, revise: true }).expect(200);
    expect(await dueOf(extended)).toBe(`${YEAR}-12-20T15:59:59.999Z`);
    await http()
      .post('/api/v1/plans/import')
      .set('Authorization', org.token.admin)
      .send({ text: redated })
      .expect(200, { planId: created.body.planId, tasksCreated: 0 });
  });

  it('withdraws with a removed item the sub-task its lead split off for a unit below: withdrawn, audited, its timers gone', async () => {
    const unit = (
      await http()
        .post('/api/v1/departments')
        .set('Authorization', org.token.admin)
        .send({ code: 'f1', name: '市农业农村局办公室', kind: 'office', parentId: org.dept.F })
        .expect(201)
    ).body.id;
    const title = `某市${YEAR}年农业工作要点`;
    const first = `${title}\n一、农业任务\n1．推进农业数据共享。（市农业农村局牵头）\n2．开展农业统计。（市农业农村局牵头）`;
    const created = await http().post('/api/v1/plans/import').set('Authorization', org.token.admin).send({ text: first }).expect(201);
    const [item] = (await db.query(`SELECT id FROM tasks WHERE plan_id = $1 ORDER BY ref LIMIT 1`, [created.body.planId])).rows;
    await http().post(`/api/v1/tasks/${item.id}/actions`).set('Authorization', org.token.outsider).send({ action: 'accept' }).expect(200);
    const sub = (
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.outsider)
        .send({ workflow: 'plan-item', title: '推进农业数据共享：办公室分工', parentId: item.id, leadDepartmentIds: [unit] })
        .expect(201)
    ).body.id as string;
    expect((await liveTimers(sub)).length).toBeGreaterThan(0);

    await http()
      .post('/api/v1/plans/import')
      .set('Authorization', org.token.admin)
      .send({ text: `${title}\n一、农业任务\n2．开展农业统计。（市农业农村局牵头）`, revise: true })
      .expect(200);
    const [row] = (await db.query(`SELECT state, closed_at FROM tasks WHERE id = $1`, [sub])).rows;
    expect(row.state).toBe('withdrawn');
    expect(row.closed_at).toBeInstanceOf(Date);
    const audit = (await db.query(`SELECT action, to_state, data FROM audit_entries WHERE task_id = $1 ORDER BY seq DESC LIMIT 1`, [sub])).rows[0];
    expect([audit.action, audit.to_state]).toEqual(['withdraw', 'withdrawn']);
    expect(audit.data.comment).toContain('上级任务已撤销');
    expect(await liveTimers(sub)).toEqual([]);
  });

  it('hands the counties’ shares of an item whose lead changes to the new lead: supervised by it, the old lead no longer sees them', async () => {
    await http()
      .post('/api/v1/users')
      .set('Authorization', org.token.admin)
      .send({ username: 'leadB', displayName: 'leadB', departmentId: org.dept.B, roles: ['lead'], password: 'password-123' })
      .expect(201);
    const oldLead = await login(api.url, 'leadB', 'password-123');
    const title = `某市${YEAR}年县区普查要点`;
    const text = (lead: string) => `${title}\n一、县区任务\n1．开展县级数据普查。（${lead}牵头，各县（市、区）政府负责）`;
    const created = await http()
      .post('/api/v1/plans/import')
      .set('Authorization', org.token.admin)
      .send({ text: text('市政务服务数据管理局') })
      .expect(201);
    const shares = (await db.query(`SELECT id FROM tasks WHERE plan_id = $1 AND parent_id IS NOT NULL ORDER BY ref`, [created.body.planId])).rows.map(
      (r) => r.id as string,
    );
    expect(shares.length).toBe(2);
    await http().get(`/api/v1/tasks/${shares[0]}`).set('Authorization', oldLead).expect(200);
    await http().get(`/api/v1/tasks/${shares[0]}`).set('Authorization', org.token.outsider).expect(404);

    await http()
      .post('/api/v1/plans/import')
      .set('Authorization', org.token.admin)
      .send({ text: text('市农业农村局'), revise: true })
      .expect(200);
    const supervisors = (await db.query(`SELECT supervising_department_ids FROM tasks WHERE id = ANY($1::uuid[])`, [shares])).rows.map(
      (r) => r.supervising_department_ids,
    );
    expect(supervisors).toEqual([[org.dept.F], [org.dept.F]]);
    for (const share of shares) {
      await http().get(`/api/v1/tasks/${share}`).set('Authorization', oldLead).expect(404);
      await http().get(`/api/v1/tasks/${share}`).set('Authorization', org.token.outsider).expect(200);
    }
    // The old lead, no longer an owner of the item, is told of the change as the new one is.
    const [item] = (await db.query(`SELECT id FROM tasks WHERE plan_id = $1 AND parent_id IS NULL`, [created.body.planId])).rows;
    const told = (await notices(item.id, 'revised')).map((n) => n.username);
    expect(told).toEqual(expect.arrayContaining(['leadB', 'outsider']));
  });
});
