import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { login } from './support/org-fixture.js';
import { startStack, type Stack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, waitFor } from './support/test-env.js';

interface Task {
  id: string;
  ref: string;
  state: string;
  dueAt: string;
  parent: { id: string; ref: string; title: string } | null;
  children: { total: number; open: number; green: number; yellow: number; red: number; progress: number | null };
  allowedActions: string[];
  canSplit: boolean;
}

/**
 * 分解/转办 (issue 16, point 6): 乐昌市人民政府 hands its share of a plan item to two of its
 * towns; the county's lead follows the towns' shares as their supervisor.
 */
describe('splitting a task among sub-units', () => {
  let stack: Stack;
  let worker: RunningApp;
  const dept: Record<'city' | 'county' | 'sibling' | 'town1' | 'town2', string> = { city: '', county: '', sibling: '', town1: '', town2: '' };
  const token: Record<'countyLead' | 'countyHandler' | 'town1Lead' | 'town2Lead', string> = { countyLead: '', countyHandler: '', town1Lead: '', town2Lead: '' };

  const api = () => request(stack.api.url);
  const post = async (path: string, body: object) => {
    const res = await api().post(`/api/v1${path}`).set('Authorization', stack.org.token.admin).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  /** A plan item of the county's, assigned by the admin and accepted by the county's lead. */
  const countyItem = async (title: string): Promise<Task> => {
    const item = await api()
      .post('/api/v1/tasks')
      .set('Authorization', stack.org.token.admin)
      .send({ workflow: 'plan-item', title, leadDepartmentIds: [dept.county], dueAt: inDays(30) })
      .expect(201);
    await act(token.countyLead, item.body.id, { action: 'accept' }).expect(200);
    return item.body as Task;
  };
  const split = (who: string, parentId: string, body: object) =>
    api()
      .post('/api/v1/tasks')
      .set('Authorization', who)
      .send({ workflow: 'plan-item', title: '推进“一网通办”：镇街分工', parentId, ...body });
  const act = (who: string, id: string, body: object) => api().post(`/api/v1/tasks/${id}/actions`).set('Authorization', who).send(body);
  const view = async (who: string, id: string) => (await api().get(`/api/v1/tasks/${id}`).set('Authorization', who).expect(200)).body as Task;

  beforeAll(async () => {
    stack = await startStack();
    dept.city = await post('/departments', { code: 'sg', name: '韶关市人民政府', kind: 'other', supervisorDepartmentId: stack.org.dept.S2 });
    dept.county = await post('/departments', { code: 'lcs', name: '乐昌市人民政府', kind: 'county', parentId: dept.city });
    dept.sibling = await post('/departments', { code: 'nxs', name: '南雄市人民政府', kind: 'county', parentId: dept.city });
    dept.town1 = await post('/departments', { code: 'lcs-lc', name: '乐城街道办事处', kind: 'town', parentId: dept.county });
    dept.town2 = await post('/departments', { code: 'lcs-bx', name: '北乡镇人民政府', kind: 'town', parentId: dept.county });
    const users: [keyof typeof token, string, string][] = [
      ['countyLead', dept.county, 'lead'],
      ['countyHandler', dept.county, 'handler'],
      ['town1Lead', dept.town1, 'lead'],
      ['town2Lead', dept.town2, 'lead'],
    ];
    for (const [name, departmentId, role] of users) {
      await post('/users', { username: name, displayName: name, departmentId, roles: [role], password: 'password-123' });
      token[name] = await login(stack.api.url, name, 'password-123');
    }
    const port = await freePort();
    worker = await startBuilt(
      'apps/worker/src/main.js',
      { ...stack.testEnv.env, WORKER_PORT: String(port), TIMER_PUMP_INTERVAL_MS: '200', TIMER_HORIZON_MS: '60000' },
      port,
      '/health',
    );
  });

  afterAll(async () => {
    await worker?.stop();
    await stopStack(stack ?? {});
  });

  it('lets the county’s lead hand shares to two towns, who see their own; the county sees and approves both; the item waits for them', async () => {
    const item = await countyItem('推进政务服务“一网通办”');
    // The view offers 分解 to the county's lead, not to its handler.
    expect((await view(token.countyLead, item.id)).canSplit).toBe(true);
    expect((await view(token.countyHandler, item.id)).canSplit).toBe(false);
    const first = await split(token.countyLead, item.id, { leadDepartmentIds: [dept.town1] }).expect(201);
    const second = await split(token.countyLead, item.id, { leadDepartmentIds: [dept.town2], dueAt: inDays(20) }).expect(201);
    // Due when the item is unless told otherwise; the parent named by number and title.
    expect(first.body).toMatchObject({ parentId: item.id, parent: { id: item.id, ref: item.ref, title: '推进政务服务“一网通办”' }, dueAt: item.dueAt });
    const [one, two] = [first.body as Task, second.body as Task];

    // Each town sees its own share, not the other's.
    expect((await view(token.town1Lead, one.id)).allowedActions).toContain('accept');
    await api().get(`/api/v1/tasks/${two.id}`).set('Authorization', token.town1Lead).expect(404);
    // The county sees both, by parent and in its own list.
    const byParent = await api().get('/api/v1/tasks').query({ parentId: item.id }).set('Authorization', token.countyLead).expect(200);
    expect(byParent.body.total).toBe(2);
    expect(byParent.body.items.map((t: Task) => t.id).sort()).toEqual([one.id, two.id].sort());
    const own = await api().get('/api/v1/tasks').set('Authorization', token.countyLead).expect(200);
    expect(own.body.items.map((t: Task) => t.id).sort()).toEqual([item.id, one.id, two.id].sort());
    expect(own.body.total).toBe(3);
    expect(own.body.items.find((t: Task) => t.id === item.id).children).toEqual({ total: 2, open: 2, green: 2, yellow: 0, red: 0, progress: 0 });

    // The item cannot be reported done while a town's share is open.
    const refused = await act(token.countyLead, item.id, { action: 'submit', comment: '已完成' }).expect(409);
    expect(refused.body.type).toBe('urn:duban:problem:children-open');
    expect(refused.body.detail).toContain('尚有 2 项子任务未办结');
    expect(refused.body.detail).toContain(one.ref);
    expect(refused.body.detail).toContain(two.ref);
    expect(refused.body.openChildren.map((c: Task) => c.id).sort()).toEqual([one.id, two.id].sort());

    // The towns work their shares; the county's view shows their progress.
    await act(token.town1Lead, one.id, { action: 'accept' }).expect(200);
    await act(token.town1Lead, one.id, { action: 'report', progress: 60 }).expect(200);
    expect((await view(token.countyLead, item.id)).children).toMatchObject({ total: 2, open: 2, progress: 30 });
    await act(token.town1Lead, one.id, { action: 'submit', comment: '镇街事项已全部进驻' }).expect(200);
    // The county approves or sends back what a town submits.
    expect((await view(token.countyLead, one.id)).allowedActions).toEqual(expect.arrayContaining(['approve', 'send-back']));
    expect((await act(token.countyLead, one.id, { action: 'approve' }).expect(200)).body.state).toBe('completed');
    expect((await view(token.countyLead, one.id)).canSplit).toBe(false);
    expect((await view(token.countyLead, item.id)).children).toEqual({ total: 2, open: 1, green: 1, yellow: 0, red: 0, progress: 50 });

    await act(token.town2Lead, two.id, { action: 'accept' }).expect(200);
    await act(token.town2Lead, two.id, { action: 'submit', comment: '已完成' }).expect(200);
    await act(token.countyLead, two.id, { action: 'approve' }).expect(200);
    expect((await view(token.countyLead, item.id)).children).toEqual({ total: 2, open: 0, green: 0, yellow: 0, red: 0, progress: 100 });
    expect((await act(token.countyLead, item.id, { action: 'submit', comment: '两镇街均已完成' }).expect(200)).body.state).toBe('review');
  });

  it('refuses a share for a department outside the county, naming it; one due after the item; a handler’s split', async () => {
    const item = await countyItem('建设基层便民服务站点');
    const sibling = await split(token.countyLead, item.id, { leadDepartmentIds: [dept.sibling] }).expect(403);
    expect(sibling.body.type).toBe('urn:duban:problem:split-outside-department');
    expect(sibling.body.detail).toContain('只能分解给乐昌市人民政府的下级单位');
    expect(sibling.body.detail).toContain('南雄市人民政府');
    const bureau = await split(token.countyLead, item.id, { leadDepartmentIds: [dept.town1], coDepartmentIds: [stack.org.dept.F] }).expect(403);
    expect(bureau.body.detail).toContain('市农业农村局');
    expect(bureau.body.departmentIds).toEqual([stack.org.dept.F]);

    const late = await split(token.countyLead, item.id, { leadDepartmentIds: [dept.town1], dueAt: inDays(31) }).expect(400);
    expect(late.body.type).toBe('urn:duban:problem:child-due-after-parent');
    expect(late.body.errors).toEqual([{ path: 'dueAt', message: expect.stringContaining('子任务的截止时间不得晚于上级任务') }]);
    expect(late.body.detail).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d/);

    const handler = await split(token.countyHandler, item.id, { leadDepartmentIds: [dept.town1] }).expect(403);
    expect(handler.body.type).toBe('urn:duban:problem:split-forbidden');
    expect(handler.body.detail).toContain('只有任务');
    // Nothing was created by any of these.
    const children = await api().get('/api/v1/tasks').query({ parentId: item.id }).set('Authorization', stack.org.token.admin).expect(200);
    expect(children.body.total).toBe(0);
  });

  it('sends a late share’s escalation to the county’s lead, and the item shows it red', async () => {
    const item = await countyItem('推广电子证照应用');
    const late = (await split(token.countyLead, item.id, { leadDepartmentIds: [dept.town2], dueAt: new Date(Date.now() + 3000).toISOString() }).expect(201))
      .body as Task;
    const escalated = await waitFor(
      async () => {
        const inbox = await api().get('/api/v1/me/notifications').query({ taskId: late.id }).set('Authorization', token.countyLead).expect(200);
        return inbox.body.items.find((n: { kind: string }) => n.kind === 'escalated');
      },
      'the escalation of the late share',
      30_000,
    );
    expect(escalated).toMatchObject({ taskId: late.id, data: { level: 1 } });
    // The town's own lead hears of it as the owner; the county's handler is not a supervisor of it.
    const handlerInbox = await api().get('/api/v1/me/notifications').query({ taskId: late.id }).set('Authorization', token.countyHandler).expect(200);
    expect(handlerInbox.body.items.map((n: { kind: string }) => n.kind)).not.toContain('escalated');
    expect((await view(token.countyLead, item.id)).children).toMatchObject({ total: 1, open: 1, red: 1 });
  });
});
