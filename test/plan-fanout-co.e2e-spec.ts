import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { login } from './support/org-fixture.js';
import { createTestEnv, type RunningApp, startSeededApi, type TestEnv } from './support/test-env.js';

/**
 * A fan-out phrase among the co-units of an item (`配合单位：各县(市、区)政府`) makes a share (child
 * task) for each county, as one among the leads does, but the counties are co-units (配合单位) of
 * the item, never its leads; among the leads (`…、各县(市、区)政府牵头`) the counties own only their
 * shares (issue 19 point 4).
 */
const YEAR = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

const PLAN = `某市${YEAR}年投资促进工作分工方案
一、深化投资审批制度改革。（市发展和改革局、各县（市、区）政府牵头）
二、完善重大项目服务机制，年底前建成项目服务台账。
牵头单位：市发展和改革局
配合单位：各县（市、区）政府
三、优化财政资金保障。（市发展和改革局牵头，市财政局及各县（市、区）政府按职责分工负责）`;

interface Owner {
  departmentId: string;
  role: 'lead' | 'co';
}
/** A task's owners as [departmentId, role], in order. */
const roles = (t: { owners: Owner[] }) => t.owners.map((o) => [o.departmentId, o.role]);

interface TaskView {
  id: string;
  title: string;
  parentId: string | null;
  owners: Owner[];
  allowedActions: string[];
}

describe('plans: counties among the co-units get their shares and co-own the item, counties among the leads only their shares', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let admin: string;
  const dept: Record<'fgj' | 'czj' | 'wj' | 'zj', string> = { fgj: '', czj: '', wj: '', zj: '' };
  const token: Record<'fgj' | 'wj', string> = { fgj: '', wj: '' };

  const post = async (path: string, body: object) => {
    const res = await request(api.url).post(`/api/v1${path}`).set('Authorization', admin).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const tasks = async (as: string, query: Record<string, string> = {}): Promise<TaskView[]> =>
    (
      await request(api.url)
        .get('/api/v1/tasks')
        .query({ limit: '100', ...query })
        .set('Authorization', as)
        .expect(200)
    ).body.items;
  const view = async (as: string, id: string): Promise<TaskView> =>
    (await request(api.url).get(`/api/v1/tasks/${id}`).set('Authorization', as).expect(200)).body;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    api = await startSeededApi(testEnv, 'demo-password');
    admin = await login(api.url, 'admin', 'demo-password');
    dept.fgj = await post('/departments', { code: 'fgj', name: '某市发展和改革局', kind: 'bureau', aliases: ['市发展和改革局'] });
    dept.czj = await post('/departments', { code: 'czj', name: '某市财政局', kind: 'bureau', aliases: ['市财政局'] });
    dept.wj = await post('/departments', { code: 'c1', name: '武江区人民政府', kind: 'county' });
    dept.zj = await post('/departments', { code: 'c2', name: '浈江区人民政府', kind: 'county' });
    for (const [username, departmentId] of [
      ['fgj-lead', dept.fgj],
      ['wj-lead', dept.wj],
    ] as const) {
      await post('/users', { username, displayName: username, departmentId, roles: ['lead'], password: 'password-123' });
    }
    token.fgj = await login(api.url, 'fgj-lead', 'password-123');
    token.wj = await login(api.url, 'wj-lead', 'password-123');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await testEnv?.dispose();
  });

  it('previews the co fan-out as shares for the counties, with the phrase only in fanOut', async () => {
    const preview = (await request(api.url).post('/api/v1/plans/import/preview').set('Authorization', admin).send({ text: PLAN }).expect(200)).body;
    expect(preview.unresolved).toEqual([]);
    const [one, two, three] = preview.items;
    expect([roles(one), one.fanOut, one.fanOutRole]).toEqual([[[dept.fgj, 'lead']], [dept.wj, dept.zj], 'lead']);
    // The phrase is not an owner: the preview names the counties in fanOut alone, with their role there.
    expect([two.owners.map((o: Owner & { name: string }) => [o.name, o.departmentId, o.role]), two.fanOut, two.fanOutRole]).toEqual([
      [['市发展和改革局', dept.fgj, 'lead']],
      [dept.wj, dept.zj],
      'co',
    ]);
    expect(two.warnings).toEqual([]);
    // A牵头，B及各县(市、区)政府按职责分工负责: B assists, the counties each do their share.
    expect([roles(three), three.fanOut, three.fanOutRole]).toEqual([
      [
        [dept.fgj, 'lead'],
        [dept.czj, 'co'],
      ],
      [dept.wj, dept.zj],
      'lead',
    ]);
  });

  it('imports the co fan-out as a share per county, the counties co-units of the item and not its leads', async () => {
    const created = (await request(api.url).post('/api/v1/plans/import').set('Authorization', admin).send({ text: PLAN }).expect(201)).body;
    // Three items, two county shares each.
    expect(created.tasksCreated).toBe(3 + 2 * 3);

    const all = await tasks(admin);
    const item = (title: string) => all.find((t) => t.title === title && t.parentId === null)!;
    const assisted = item('完善重大项目服务机制，年底前建成项目服务台账');
    expect(roles(assisted)).toEqual([
      [dept.fgj, 'lead'],
      [dept.wj, 'co'],
      [dept.zj, 'co'],
    ]);
    for (const title of ['深化投资审批制度改革', '完善重大项目服务机制，年底前建成项目服务台账', '优化财政资金保障']) {
      const shares = await tasks(admin, { parentId: item(title).id });
      expect(shares.map(roles).sort()).toEqual([[[dept.wj, 'lead']], [[dept.zj, 'lead']]].sort());
    }
    // Among the leads, the counties are no owners of the item itself.
    expect(roles(item('深化投资审批制度改革'))).toEqual([[dept.fgj, 'lead']]);
    expect(roles(item('优化财政资金保障'))).toEqual([
      [dept.fgj, 'lead'],
      [dept.czj, 'co'],
    ]);

    const rollup = (await request(api.url).get(`/api/v1/plans/${created.planId}`).set('Authorization', admin).expect(200)).body;
    expect(rollup).toMatchObject({ itemCount: 3, taskCount: 9, children: { done: 0, total: 6 } });

    // The same text again is no change: the counties as co-units are what the text says.
    const again = (await request(api.url).post('/api/v1/plans/import/preview').set('Authorization', admin).send({ text: PLAN }).expect(200)).body;
    expect([again.existingPlanId, again.differences]).toEqual([created.planId, { added: [], removed: [], changed: [] }]);
  });

  it('lets a county report on the item it assists and lead its own share, but not accept or submit the item', async () => {
    const mine = await tasks(token.wj);
    const assisted = mine.find((t) => t.title.startsWith('完善重大项目服务机制') && t.parentId === null)!;
    expect(assisted).toBeDefined();
    // Its own share of each of the three items, and the item it assists.
    expect(mine.filter((t) => t.parentId !== null)).toHaveLength(3);
    expect((await view(token.wj, assisted.id)).allowedActions).not.toContain('accept');
    const share = mine.find((t) => t.parentId === assisted.id)!;
    expect((await view(token.wj, share.id)).allowedActions).toContain('accept');

    await request(api.url).post(`/api/v1/tasks/${assisted.id}/actions`).set('Authorization', token.fgj).send({ action: 'accept' }).expect(200);
    const actions = (await view(token.wj, assisted.id)).allowedActions;
    expect(actions).toContain('report');
    expect(actions).not.toContain('submit');
    const reported = await request(api.url)
      .post(`/api/v1/tasks/${assisted.id}/actions`)
      .set('Authorization', token.wj)
      .send({ action: 'report', progress: 30, comment: '武江区已梳理重大项目12个' })
      .expect(200);
    expect(reported.body).toMatchObject({ state: 'in-progress', progress: 30 });
    expect((await view(token.fgj, assisted.id)).allowedActions).toContain('submit');
  });

  it('imports, for an admin of a county, an item only the counties assist: the county leads it and is none of its co-units', async () => {
    await post('/users', { username: 'wj-admin', displayName: 'wj-admin', departmentId: dept.wj, roles: ['admin'], password: 'password-123' });
    const countyAdmin = await login(api.url, 'wj-admin', 'password-123');
    const text = `武江区${YEAR}年项目服务工作安排\n一、梳理辖区重大项目清单。\n配合单位：各县（市、区）政府`;
    const res = await request(api.url).post('/api/v1/plans/import').set('Authorization', countyAdmin).send({ text });
    expect([res.status, res.body.detail]).toEqual([201, undefined]);
    const created = res.body;
    expect(created.tasksCreated).toBe(1 + 2);
    const item = (await tasks(admin)).find((t) => t.title === '梳理辖区重大项目清单' && t.parentId === null)!;
    expect(roles(item)).toEqual([
      [dept.wj, 'lead'],
      [dept.zj, 'co'],
    ]);
  });
});
