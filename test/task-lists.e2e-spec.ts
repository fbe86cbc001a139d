import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import type { RunningApp, TestEnv } from './support/test-env.js';

interface Item {
  id: string;
  ref: string;
  title: string;
  light: 'green' | 'yellow' | 'red';
  overdue: boolean;
  card: string | null;
  dueAt: string;
}

/**
 * The console's lists (UI.md /work, /tasks, /supervision): the light, due-range, ref, escalation
 * and "waiting on me" filters, the urgency order, and the supervisor's desk whose every count is
 * the total of the matching list. The api's and the database's clock stand still, so the lights
 * are known by hand: a 5-working-day ticket from Monday 13 October 2025 09:00 is green on Tuesday
 * 15:00, one due Tuesday 17:00 (13 working hours allowed) is yellow from 14:24 on.
 */
describe('task lists and the supervisor’s desk', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  let clock: TestClock;
  const ids: Record<string, string> = {};
  const refs: Record<string, string> = {};

  const http = () => request(api.url);
  const list = async (who: string, query: Record<string, string | number>) => {
    const res = await http()
      .get('/api/v1/tasks')
      .query({ limit: 1000, ...query })
      .set('Authorization', who);
    if (res.status !== 200) throw new Error(`list ${JSON.stringify(query)}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { items: Item[]; total: number };
  };
  const titles = async (who: string, query: Record<string, string | number>) => (await list(who, query)).items.map((i) => i.title).sort();
  const act = async (who: string, id: string, body: object) => {
    const res = await http().post(`/api/v1/tasks/${id}/actions`).set('Authorization', who).send(body);
    if (res.status !== 200) throw new Error(`act ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
  };

  beforeAll(async () => {
    clock = await testClock();
    ({ testEnv, api, org, db } = await startStack({ ...clock.env }));
    await clock.stopAt('2025-10-13T09:00:00+08:00');
    const create = async (name: string, body: object) => {
      const res = await http().post('/api/v1/tasks').set('Authorization', org.token.admin).send(body);
      if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[name] = res.body.id;
      refs[name] = res.body.ref;
    };
    const ticket = (title: string, lead: string, extra: object = {}) => ({ workflow: 'hotline-ticket', title, leadDepartmentIds: [lead], ...extra });
    const item = (title: string, lead: string, extra: object = {}) => ({
      workflow: 'plan-item',
      title,
      leadDepartmentIds: [lead],
      dueAt: '2025-12-31T17:00:00+08:00',
      ...extra,
    });
    await create('green', ticket('五日工单', org.dept.O1));
    await create('yellow', ticket('将到期工单', org.dept.O1, { dueAt: '2025-10-14T17:00:00+08:00' }));
    await create('red', ticket('逾期工单', org.dept.O2, { dueAt: '2025-10-13T17:00:00+08:00' }));
    await create('carded', ticket('黄牌工单', org.dept.O2, { dueAt: '2025-10-31T17:00:00+08:00' }));
    await create('review', item('数据共享任务', org.dept.O1, { coDepartmentIds: [org.dept.O2] }));
    await create('extension', item('政务服务任务', org.dept.O2, { dueAt: '2025-11-28T17:00:00+08:00' }));
    await create('returned', ticket('退单工单', org.dept.O1, { dueAt: '2025-10-17T17:00:00+08:00' }));
    await create('closed', ticket('已办结工单', org.dept.O1));
    await create('outside', ticket('农业工单', org.dept.F));
    await act(org.token.lead, ids.review!, { action: 'accept' });
    await act(org.token.lead, ids.review!, { action: 'submit', comment: '已完成，申请办结' });
    await act(org.token.lead2, ids.extension!, { action: 'accept' });
    await act(org.token.lead2, ids.extension!, { action: 'request-extension', comment: '需协调，申请延期', dueAt: '2025-12-31T17:00:00+08:00' });
    await act(org.token.lead, ids.returned!, { action: 'return', comment: '非本单位职责' });
    await act(org.token.lead, ids.closed!, { action: 'accept' });
    await act(org.token.lead, ids.closed!, { action: 'close', comment: '已办结' });
    // No worker runs here: a card and an escalation as the timers would have left them.
    await db.query(`UPDATE tasks SET card = 'yellow' WHERE id = $1`, [ids.carded]);
    await db.query(`UPDATE tasks SET escalation_level = 1 WHERE id = $1`, [ids.red]);
    await clock.stopAt('2025-10-14T15:00:00+08:00');
  }, 120_000);

  afterAll(async () => {
    await clock?.release();
    await stopStack({ testEnv, api, db });
  });

  it('filters by light exactly as each item shows its light, the three lights splitting every task', async () => {
    const all = await list(org.token.admin, {});
    const byLight = Object.fromEntries(
      await Promise.all((['green', 'yellow', 'red'] as const).map(async (light) => [light, await list(org.token.admin, { light })] as const)),
    );
    for (const [light, res] of Object.entries(byLight)) expect(res.items.every((i) => i.light === light)).toBe(true);
    expect(byLight.green!.total + byLight.yellow!.total + byLight.red!.total).toBe(all.total);
    expect(byLight.yellow!.items.map((i) => i.title).sort()).toEqual(['将到期工单', '黄牌工单']);
    expect(byLight.red!.items.map((i) => i.title)).toEqual(['逾期工单']);
    expect(all.items.find((i) => i.id === ids.green)!.light).toBe('green');
  });

  it('turns a task yellow in the list at the instant its view does: 14:24 on Tuesday, a fifth of 13 working hours before 17:00', async () => {
    await clock.stopAt('2025-10-14T14:24:00+08:00');
    expect(await titles(org.token.lead, { light: 'yellow' })).toEqual([]);
    await clock.stopAt('2025-10-14T14:24:00.001+08:00');
    expect(await titles(org.token.lead, { light: 'yellow' })).toEqual(['将到期工单']);
    const view = await http().get(`/api/v1/tasks/${ids.yellow}`).set('Authorization', org.token.lead).expect(200);
    expect(view.body.light).toBe('yellow');
    await clock.stopAt('2025-10-14T15:00:00+08:00');
  });

  it('sorts most urgent first: red, then yellow, then green, each soonest due first', async () => {
    const res = await list(org.token.supervisor, { open: 'true', sort: 'urgency' });
    expect(res.items.map((i) => i.title)).toEqual(['逾期工单', '将到期工单', '黄牌工单', '退单工单', '五日工单', '政务服务任务', '数据共享任务']);
    // A lead's own list (read from the department's owner entries) in the same order.
    const own = await list(org.token.lead, { open: 'true', sort: 'urgency' });
    expect(own.items.map((i) => i.title)).toEqual(['将到期工单', '退单工单', '五日工单', '数据共享任务']);
    const due = await list(org.token.lead, { sort: 'dueAt', limit: 2, page: 1 });
    expect(due.items.map((i) => i.title)).toEqual(['将到期工单', '退单工单']);
    expect(due.total).toBe(5);
    const latest = await list(org.token.admin, { sort: '-dueAt', limit: 1 });
    expect(latest.items[0]!.dueAt >= '2025-12-31').toBe(true);
  });

  it('reads dueFrom and dueTo given as dates as whole local days in Asia/Shanghai', async () => {
    expect(await titles(org.token.admin, { dueTo: '2025-10-14' })).toEqual(['将到期工单', '逾期工单']);
    expect(await titles(org.token.admin, { dueFrom: '2025-10-14', dueTo: '2025-10-14' })).toEqual(['将到期工单']);
    // 2025-10-14 begins at 2025-10-13T16:00Z: a task due at 17:00 on the 13th Beijing time (09:00Z) is before it.
    expect(await titles(org.token.admin, { dueFrom: '2025-10-13T16:00:00Z', dueTo: '2025-10-14T17:00:00+08:00' })).toEqual(['将到期工单']);
    const bad = await http().get('/api/v1/tasks').query({ dueTo: '14/10/2025' }).set('Authorization', org.token.admin).expect(400);
    expect(bad.body.errors[0].path).toBe('dueTo');
  });

  it('finds a task by its ref as people quote it, with or without the prefix and the leading zeros', async () => {
    const ref = refs.red!;
    const number = String(Number(ref.slice(3)));
    for (const q of [ref, ref.toLowerCase(), ref.slice(3), number]) {
      const res = await list(org.token.admin, { q });
      expect(res.items.map((i) => i.ref)).toContain(ref);
      expect(res.items.every((i) => i.ref === ref || i.title.includes(q))).toBe(true);
    }
    expect((await list(org.token.admin, { q: '将到期' })).items.map((i) => i.title)).toEqual(['将到期工单']);
    // Not a task of a department the lead may see: the ref finds nothing.
    expect((await list(org.token.lead, { q: ref })).total).toBe(0);
  });

  it('lists escalated tasks (督办) and those waiting on the caller (待我审批)', async () => {
    expect(await titles(org.token.supervisor, { escalated: 'true' })).toEqual(['逾期工单']);
    // The supervisor of B, O1 and O2: the submission, the extension request, the returned ticket.
    expect(await titles(org.token.supervisor, { awaiting: 'me' })).toEqual(['政务服务任务', '数据共享任务', '退单工单']);
    // The admin created them all, but only a returned ticket waits on its creator (改派).
    expect(await titles(org.token.admin, { awaiting: 'me' })).toEqual(['退单工单']);
    expect((await list(org.token.lead, { awaiting: 'me' })).total).toBe(0);
    expect((await list(org.token.supervisor2, { awaiting: 'me' })).total).toBe(0);
  });

  it('counts the supervisor’s desk by primary lead department, each count the total of the list it stands for', async () => {
    for (const who of [org.token.supervisor, org.token.admin, org.token.lead, org.token.supervisor2]) {
      const res = await http().get('/api/v1/tasks/summary').set('Authorization', who).expect(200);
      const summary = res.body as { items: (Record<string, number> & { departmentId: string; departmentName: string })[]; totals: Record<string, number> };
      const filters: Record<string, Record<string, string>> = {
        open: {},
        green: { light: 'green' },
        yellow: { light: 'yellow' },
        red: { light: 'red' },
        overdue: { overdue: 'true' },
        yellowCards: { card: 'yellow' },
        redCards: { card: 'red' },
      };
      for (const row of summary.items) {
        for (const [count, filter] of Object.entries(filters)) {
          const listed = await list(who, { primaryDepartmentId: row.departmentId, open: 'true', ...filter, limit: 1 });
          expect({ department: row.departmentName, count, value: row[count] }).toEqual({ department: row.departmentName, count, value: listed.total });
        }
      }
      for (const count of Object.keys(filters)) expect(summary.totals[count]).toBe(summary.items.reduce((sum, r) => sum + r[count]!, 0));
    }
    const desk = (await http().get('/api/v1/tasks/summary').set('Authorization', org.token.supervisor).expect(200)).body;
    const row = (id: string) => desk.items.find((r: { departmentId: string }) => r.departmentId === id);
    expect(row(org.dept.O2)).toEqual({
      departmentId: org.dept.O2,
      departmentName: '政务服务科',
      open: 3,
      green: 1,
      yellow: 1,
      red: 1,
      overdue: 1,
      yellowCards: 1,
      redCards: 0,
    });
    expect(row(org.dept.O1)).toMatchObject({ open: 4, green: 3, yellow: 1, red: 0 });
    // B itself has nothing open but is on the desk; F, supervised by someone else, is not.
    expect(row(org.dept.B)).toMatchObject({ departmentName: '市政务服务数据管理局', open: 0 });
    expect(row(org.dept.F)).toBeUndefined();
    expect(desk.totals).toMatchObject({ open: 7, red: 1, overdue: 1 });
  });
});
