import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type pg from 'pg';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

/** A workflow of two states: only the owners' 办结 is its own; urge, card and withdraw-card come with every workflow. */
const DUTY = {
  key: 'duty',
  name: '督办事项',
  calendar: 'cn',
  states: [
    { key: 'open', label: '办理中', initial: true },
    { key: 'closed', label: '已办结', terminal: true },
  ],
  transitions: [{ action: 'close', label: '办结', from: ['open'], to: 'closed', allowed: ['owner'], requires: ['comment'] }],
};

/** Collects a superagent response body as a Buffer (for the xlsx). */
function binaryParser(res: NodeJS.ReadableStream, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer | string) => chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'binary')));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
  res.on('error', (err: Error) => callback(err, Buffer.alloc(0)));
}

/**
 * Beijing instants, on the cn calendar (08:30–12:00, 14:00–17:30): Friday 2023-12-29 10:00 is
 * 2 whole working days before Wednesday 2024-01-03 17:30 (30 December–1 January off for 元旦).
 */
describe('built-in acts: 催办, 亮牌 and 撤销亮牌 on every workflow', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let worker: RunningApp;
  let org: Org;
  let db: pg.Client;
  let clock: TestClock;
  let adminId: string;

  const at = (local: string) => clock.stopAt(`${local}+08:00`);
  const http = () => request(api.url);
  const create = async (title: string, leadDepartmentIds = [org.dept.O1], extra: object = {}) =>
    (
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: 'duty', title, leadDepartmentIds, dueAt: '2024-01-03T17:30:00+08:00', ...extra })
        .expect(201)
    ).body as { id: string; ref: string; version: number };
  const act = (who: string, id: string, body: object, status = 200) =>
    http().post(`/api/v1/tasks/${id}/actions`).set('Authorization', who).send(body).expect(status);
  const allowed = async (id: string, who: string) => (await http().get(`/api/v1/tasks/${id}`).set('Authorization', who).expect(200)).body.allowedActions;
  /**
   * The task's notices of `kind`, per recipient (user id → titles and bodies), once every outbox
   * event of the task is done: its notices are committed before that, and a replayed event makes
   * none twice, so the count is final. (Not waitForDrained: its timers, due by the real clock, wait
   * for the stopped one.)
   */
  const notices = async (taskId: string, kind: string) => {
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE task_id = $1 AND done_at IS NULL`, [taskId])).rows[0].n === 0,
      `the events of task ${taskId} to be done`,
    );
    const rows = (await db.query(`SELECT user_id, title, body FROM notifications WHERE task_id = $1 AND kind = $2 ORDER BY id`, [taskId, kind])).rows;
    const byUser = new Map<string, { title: string; body: string }[]>();
    for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), { title: r.title, body: r.body }]);
    return byUser;
  };
  const kpis = async (from: string, to: string) =>
    (
      await http()
        .get('/api/v1/reports/kpis')
        .query({ from: `${from}T00:00:00+08:00`, to: `${to}T00:00:00+08:00` })
        .set('Authorization', org.token.admin)
        .expect(200)
    ).body;

  beforeAll(async () => {
    clock = await testClock();
    ({ testEnv, api, org, db } = await startStack(clock.env));
    const port = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...testEnv.env, WORKER_PORT: String(port) }, port, '/health');
    await http().post('/api/v1/workflows').set('Authorization', org.token.admin).send(DUTY).expect(201);
    adminId = (await db.query(`SELECT id FROM users WHERE username = 'admin'`)).rows[0].id;
  });

  afterAll(async () => {
    await worker?.stop();
    await stopStack({ testEnv, api, db });
  });

  it('shows the acts in allowedActions exactly to those who may take them; others get 403, or 404 outside their scope', async () => {
    await at('2023-12-29T10:00:00');
    const task = await create('关于推进政务数据共享的工作');
    expect(await allowed(task.id, org.token.lead)).toEqual(['close']);
    expect(await allowed(task.id, org.token.handler)).toEqual(['close']);
    expect(await allowed(task.id, org.token.supervisor)).toEqual(['urge', 'card']);
    expect(await allowed(task.id, org.token.admin)).toEqual(['urge', 'card']);

    const urge = { action: 'urge', comment: '请抓紧办理' };
    // The owners may not urge or card their own task; the others do not see it at all.
    for (const who of [org.token.lead, org.token.handler]) {
      expect((await act(who, task.id, urge, 403)).body.type).toBe('urn:duban:problem:action-forbidden');
      await act(who, task.id, { action: 'card', card: 'yellow', comment: '逾期' }, 403);
    }
    for (const who of [org.token.lead2, org.token.outsider, org.token.supervisor2]) {
      expect((await act(who, task.id, urge, 404)).body.type).toBe('urn:duban:problem:task-not-found');
      await act(who, task.id, { action: 'withdraw-card', comment: '误亮' }, 404);
    }

    expect((await act(org.token.supervisor, task.id, { action: 'card', card: 'yellow', comment: '进展滞后' })).body).toMatchObject({
      card: 'yellow',
      allowedActions: ['urge', 'card'],
    });
    expect(await allowed(task.id, org.token.admin)).toEqual(['urge', 'card', 'withdraw-card']);
    for (const who of [org.token.supervisor, org.token.lead]) await act(who, task.id, { action: 'withdraw-card', comment: '误亮' }, 403);
    // Red is the top: no card left to give.
    expect((await act(org.token.supervisor, task.id, { action: 'card', card: 'red', comment: '严重滞后' })).body).toMatchObject({
      card: 'red',
      light: 'red',
      allowedActions: ['urge'],
    });
    expect((await act(org.token.admin, task.id, { action: 'withdraw-card', comment: '红牌误亮' })).body).toMatchObject({
      card: 'yellow',
      allowedActions: ['urge', 'card', 'withdraw-card'],
    });
    expect(await allowed(task.id, org.token.lead)).toEqual(['close']);
  });

  it('lets the task’s creator urge it, as a co-owner who sees it', async () => {
    await at('2023-12-29T10:00:00');
    const task = await create('关于编制数据资源目录的工作', [org.dept.O1], { coDepartmentIds: [org.dept.O2] });
    // As if the co-owning department's lead had assigned it.
    await db.query(`UPDATE tasks SET created_by = $2 WHERE id = $1`, [task.id, org.userId.lead2]);
    expect(await allowed(task.id, org.token.lead2)).toEqual(['urge']);
    await act(org.token.lead2, task.id, { action: 'card', card: 'yellow', comment: '逾期' }, 403);
    await act(org.token.lead2, task.id, { action: 'urge', comment: '请牵头单位加快进度' });
  });

  it('tells each owner once of an urge, with the due date and its year and the working days left; the same user again within 10 minutes gets 409', async () => {
    await at('2023-12-29T10:00:00');
    const task = await create('关于推进一网通办的工作');
    const urged = await act(org.token.supervisor, task.id, { action: 'urge', comment: '请于元旦前反馈进展' });
    expect(urged.body).toMatchObject({ state: 'open', version: task.version + 1, card: null });
    const trail = (await http().get(`/api/v1/tasks/${task.id}/audit`).set('Authorization', org.token.admin).expect(200)).body;
    expect(trail.at(-1)).toMatchObject({
      action: 'urge',
      actorId: org.userId.supervisor,
      fromState: 'open',
      toState: 'open',
      data: { comment: '请于元旦前反馈进展' },
    });

    const told = await notices(task.id, 'urged');
    expect([...told.keys()].sort()).toEqual([org.userId.lead, org.userId.handler].sort());
    for (const [, list] of told) {
      expect(list).toEqual([
        {
          title: `【催办】关于推进一网通办的工作（${task.ref}）将于2024年1月3日 17:30到期，剩余 2 个工作日`,
          body: `supervisor催办任务“关于推进一网通办的工作”（${task.ref}），办理期限2024年1月3日 17:30（剩余 2 个工作日）。催办意见：请于元旦前反馈进展`,
        },
      ]);
    }

    // A double click, five minutes later, a moment before the ten are up: not a second urge.
    for (const instant of ['2023-12-29T10:00:00', '2023-12-29T10:05:00', '2023-12-29T10:09:59.999']) {
      await at(instant);
      const again = await act(org.token.supervisor, task.id, { action: 'urge', comment: '再次催办' }, 409);
      expect(again.body).toMatchObject({
        type: 'urn:duban:problem:urged-recently',
        code: 'urged-recently',
        nextUrgeAt: new Date('2023-12-29T10:10:00+08:00').toISOString(),
      });
      expect(again.body.detail).toContain('请于2023年12月29日 10:10后再催办');
    }
    // Another urger is not held back by the supervisor's pause.
    await act(org.token.admin, task.id, { action: 'urge', comment: '请加快' });
    await at('2023-12-29T10:10:00');
    await act(org.token.supervisor, task.id, { action: 'urge', comment: '再次催办' });
    const after = await notices(task.id, 'urged');
    expect([...after.values()].map((list) => list.length)).toEqual([3, 3]);
    expect(after.has(org.userId.supervisor) || after.has(adminId)).toBe(false);
  });

  it('gives cards upward only, telling the owners and the department’s supervisors, and never the one who gave it', async () => {
    await at('2023-12-29T10:00:00');
    const task = await create('关于完善政务服务评价的工作');
    await act(org.token.admin, task.id, { action: 'card', card: 'yellow', comment: '进展滞后' });
    const refused = await act(org.token.supervisor, task.id, { action: 'card', card: 'yellow', comment: '再亮黄牌' }, 409);
    expect(refused.body).toMatchObject({ type: 'urn:duban:problem:card-not-higher', code: 'card-not-higher', card: 'yellow' });
    await act(org.token.supervisor, task.id, { action: 'card', card: 'red', comment: '多次催办未果' });
    expect((await act(org.token.admin, task.id, { action: 'card', card: 'yellow', comment: '降为黄牌' }, 409)).body.code).toBe('card-not-higher');
    await act(org.token.admin, task.id, { action: 'card', comment: '没说颜色' }, 400);
    expect((await act(org.token.admin, task.id, { action: 'card', card: 'green', comment: '绿牌' }, 400)).body.errors[0].path).toBe('card');

    const told = await notices(task.id, 'carded');
    // Yellow by the admin: lead, handler and the supervisor; red by the supervisor: lead and handler.
    expect(Object.fromEntries([...told].map(([user, list]) => [user, list.length]))).toEqual({
      [org.userId.lead]: 2,
      [org.userId.handler]: 2,
      [org.userId.supervisor]: 1,
    });
    // Two events dispatched by concurrent jobs: their notices may be inserted in either order.
    expect(told.get(org.userId.lead)!.map((n) => n.title)).toEqual(
      expect.arrayContaining([
        `【亮牌】关于完善政务服务评价的工作（${task.ref}）被亮黄牌，将于2024年1月3日 17:30到期，剩余 2 个工作日`,
        `【亮牌】关于完善政务服务评价的工作（${task.ref}）被亮红牌，将于2024年1月3日 17:30到期，剩余 2 个工作日`,
      ]),
    );
    expect(told.get(org.userId.lead)!.map((n) => n.body)).toContainEqual(
      expect.stringContaining('亮红牌，办理期限2024年1月3日 17:30（剩余 2 个工作日）。亮牌理由：多次催办未果'),
    );

    await act(org.token.admin, task.id, { action: 'withdraw-card', comment: '红牌误亮' });
    await act(org.token.admin, task.id, { action: 'withdraw-card', comment: '黄牌误亮' });
    const none = await act(org.token.admin, task.id, { action: 'withdraw-card', comment: '再撤' }, 409);
    expect(none.body.code).toBe('no-card-to-withdraw');
    expect((await http().get(`/api/v1/tasks/${task.id}`).set('Authorization', org.token.admin).expect(200)).body).toMatchObject({ card: null, light: 'green' });
  });

  it('refuses the acts on a closed task, and a workflow that defines a transition named after one', async () => {
    await at('2023-12-29T10:00:00');
    const task = await create('关于开展数据质量检查的工作');
    await act(org.token.lead, task.id, { action: 'close', comment: '已完成' });
    expect(await allowed(task.id, org.token.admin)).toEqual([]);
    for (const body of [
      { action: 'urge', comment: '催' },
      { action: 'card', card: 'red', comment: '亮' },
    ]) {
      expect((await act(org.token.admin, task.id, body, 409)).body).toMatchObject({ type: 'urn:duban:problem:action-not-allowed', allowedActions: [] });
    }
    const invalid = { ...DUTY, key: 'duty-urge', transitions: [...DUTY.transitions, { action: 'urge', from: ['open'], to: 'open', allowed: ['supervisor'] }] };
    const res = await http().post('/api/v1/workflows/validate').set('Authorization', org.token.admin).send(invalid).expect(422);
    expect(res.body.errors).toEqual([{ path: 'transitions[1].action', message: expect.stringContaining('built-in act') }]);
  });

  it('counts urges and hand-given cards in the KPIs and the bulletin of their period; a withdrawn card leaves them', async () => {
    await at('2024-03-28T10:00:00');
    const task = await create('关于优化营商环境的工作', [org.dept.O2], { dueAt: '2024-04-10T17:30:00+08:00' });
    await act(org.token.supervisor, task.id, { action: 'urge', comment: '请加快' });
    await act(org.token.supervisor, task.id, { action: 'card', card: 'yellow', comment: '进展滞后' });
    await at('2024-03-29T10:00:00');
    await act(org.token.admin, task.id, { action: 'urge', comment: '请加快' });
    await at('2024-04-01T10:00:00');
    await act(org.token.admin, task.id, { action: 'card', card: 'red', comment: '仍未推进' });
    await act(org.token.supervisor, task.id, { action: 'urge', comment: '请说明原因' });

    const row = (body: { byDepartment: { departmentId: string }[] }) => body.byDepartment.find((r) => r.departmentId === org.dept.O2);
    const march = await kpis('2024-03-01', '2024-04-01');
    expect(row(march)).toMatchObject({ urges: 2, yellowCards: 1, redCards: 0 });
    expect(march.totals).toMatchObject({ urges: 2, yellowCards: 1, redCards: 0 });
    expect(row(await kpis('2024-04-01', '2024-05-01'))).toMatchObject({ urges: 1, yellowCards: 0, redCards: 1 });

    await at('2024-04-02T10:00:00');
    expect((await act(org.token.admin, task.id, { action: 'withdraw-card', comment: '红牌误亮' })).body.card).toBe('yellow');
    const april = await kpis('2024-04-01', '2024-05-01');
    expect(row(april)).toMatchObject({ urges: 1, yellowCards: 0, redCards: 0 });
    expect(april.totals).toMatchObject({ urges: 1, redCards: 0 });
    // The yellow card of March stands.
    expect(row(await kpis('2024-03-01', '2024-04-01'))).toMatchObject({ yellowCards: 1 });

    const query = { from: '2024-03-01T00:00:00+08:00', to: '2024-04-01T00:00:00+08:00' };
    const bulletin = (await http().get('/api/v1/reports/bulletin').query(query).set('Authorization', org.token.admin).expect(200)).body;
    const column = bulletin.columns.indexOf('催办次数');
    expect(column).toBeGreaterThan(1);
    const o2 = bulletin.rows.find((r: unknown[]) => r[1] === '政务服务科');
    expect(o2[column]).toBe(2);
    expect(o2[bulletin.columns.indexOf('黄牌')]).toBe(1);

    const xlsx = await http()
      .get('/api/v1/reports/bulletin')
      .query({ ...query, format: 'xlsx' })
      .set('Authorization', org.token.admin)
      .buffer(true)
      .parse(binaryParser as never)
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(2).getCell(column + 1).value).toBe('催办次数');
    const line = bulletin.rows.indexOf(o2);
    expect(sheet.getRow(3 + line).getCell(column + 1).value).toBe(2);
  });
});
