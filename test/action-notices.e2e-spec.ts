import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

interface Notice {
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

/**
 * Issue 16 points 3 and 4 on the built-in plan item, through the HTTP API and a worker: after a
 * transition by a person, whoever may act on the new state gets one `action` notice worded for
 * them, the actor none; an extension request carries the date asked for, which the approval
 * grants unless it gives its own. The api's and the database's clock stand still at December 2025
 * instants (Beijing time), so that texts and tenses are known to the minute; the worker's runs.
 * Org: lead and handler own O1; supervisor supervises it.
 */
describe('whoever must act next is told, and an extension request carries its date', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let worker: RunningApp;
  let org: Org;
  let db: pg.Client;
  let clock: TestClock;

  const bj = (local: string) => new Date(`${local}+08:00`).toISOString();
  const at = (local: string) => clock.stopAt(`${local}+08:00`);
  const http = () => request(api.url);
  const act = (who: string, id: string, body: object, status = 200) =>
    http().post(`/api/v1/tasks/${id}/actions`).set('Authorization', who).send(body).expect(status);
  const view = async (id: string, who: string) => (await http().get(`/api/v1/tasks/${id}`).set('Authorization', who).expect(200)).body;
  const create = async (title: string, dueAt: string) =>
    (
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.supervisor)
        .send({ workflow: 'plan-item', title, leadDepartmentIds: [org.dept.O1], dueAt: `${dueAt}+08:00` })
        .expect(201)
    ).body.id as string;

  /** Waits until every transition of the task has been through the events job, then reads `who`'s action notices, newest first. */
  const told = async (who: string, taskId: string): Promise<Notice[]> => {
    await waitFor(
      async () => (await db.query(`SELECT 1 FROM outbox WHERE task_id = $1 AND event = 'task.transitioned' AND done_at IS NULL`, [taskId])).rowCount === 0,
      'the transitions’ notices',
      30_000,
    );
    const items = (await http().get('/api/v1/me/notifications').query({ taskId, limit: 100 }).set('Authorization', who).expect(200)).body.items as Notice[];
    return items.filter((n) => n.kind === 'action');
  };
  /** How many action notices each of lead, handler and supervisor has of the task. */
  const counts = async (taskId: string) => ({
    lead: (await told(org.token.lead, taskId)).length,
    handler: (await told(org.token.handler, taskId)).length,
    supervisor: (await told(org.token.supervisor, taskId)).length,
  });

  beforeAll(async () => {
    clock = await testClock();
    ({ testEnv, api, org, db } = await startStack(clock.env));
    const port = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...testEnv.env, WORKER_PORT: String(port) }, port, '/health');
  });

  afterAll(async () => {
    await clock?.release();
    await worker?.stop();
    await stopStack({ testEnv, api, db });
  });

  it('tells the handler assigned, and the owners who may act after acceptance; never the actor', async () => {
    await at('2025-12-01T10:00:00');
    const id = await create('推进政务数据共享', '2025-12-31T17:30:00');
    await act(org.token.lead, id, { action: 'accept' });
    // Accepted: the other owner (the handler) may act now; no supervisor may.
    expect(await counts(id)).toEqual({ lead: 0, handler: 1, supervisor: 0 });
    await act(org.token.lead, id, { action: 'assign', assigneeId: org.userId.handler });
    expect(await counts(id)).toEqual({ lead: 0, handler: 2, supervisor: 0 });
    const [assigned] = await told(org.token.handler, id);
    expect(assigned!.title).toBe('【交办经办人】推进政务数据共享');
    expect(assigned!.body).toContain('lead（数据资源科）对任务“推进政务数据共享”');
    // The due date ahead: future tense, with its year.
    expect(assigned!.body).toContain('任务将于2025年12月31日 17:30到期。请及时办理（可办理：交办经办人、进度填报、申请延期、申请办结）。');
  });

  it('refuses an extension request without a date, or with one already past, naming dueAt', async () => {
    await at('2025-12-01T10:00:00');
    const id = await create('建设一体化政务服务平台', '2025-12-31T17:30:00');
    await act(org.token.lead, id, { action: 'accept' });
    const missing = (await act(org.token.lead, id, { action: 'request-extension', comment: '需协调' }, 400)).body;
    expect(missing.errors).toEqual([{ path: 'dueAt', message: expect.any(String) }]);
    const past = (await act(org.token.lead, id, { action: 'request-extension', dueAt: '2025-11-30T17:30:00+08:00', comment: '需协调' }, 400)).body;
    expect(past.errors).toEqual([{ path: 'dueAt', message: expect.stringContaining('must be a date-time in the future') }]);
    expect((await view(id, org.token.lead)).state).toBe('accepted');
  });

  it('sends the request to the supervisor with the date asked for, and the approval without a date grants that date to the owners', async () => {
    await at('2025-12-01T10:00:00');
    const id = await create('完善数据资源目录', '2025-12-31T17:30:00');
    await act(org.token.lead, id, { action: 'accept' });
    const before = await counts(id);

    await at('2025-12-29T10:00:00');
    const asked = (await act(org.token.lead, id, { action: 'request-extension', dueAt: '2026-01-30T17:30:00+08:00', comment: '需协调施工单位' })).body;
    // The due date stays until someone grants the new one; the approver sees the date asked for.
    expect(asked).toMatchObject({ state: 'extension-requested', dueAt: bj('2025-12-31T17:30:00.000'), requestedDueAt: bj('2026-01-30T17:30:00.000') });
    expect(await view(id, org.token.supervisor)).toMatchObject({
      requestedDueAt: bj('2026-01-30T17:30:00.000'),
      allowedActions: ['approve-extension', 'reject-extension', 'urge', 'card'],
    });
    expect(await counts(id)).toEqual({ lead: before.lead, handler: before.handler, supervisor: before.supervisor + 1 });
    const [request] = await told(org.token.supervisor, id);
    expect(request!.title).toBe('【申请延期】完善数据资源目录');
    expect(request!.body).toBe(
      'lead（数据资源科）对任务“完善数据资源目录”（' +
        `${(await view(id, org.token.lead)).ref}）办理了“申请延期”，当前环节：延期审核中。意见：需协调施工单位。` +
        '申请将办理期限延至2026年1月30日 17:30。任务将于2025年12月31日 17:30到期。请审核（可办理：同意延期、不同意延期）。',
    );
    expect(request!.data).toMatchObject({ action: 'request-extension', requestedDueAt: bj('2026-01-30T17:30:00.000') });

    await at('2025-12-30T09:00:00');
    const granted = (await act(org.token.supervisor, id, { action: 'approve-extension', comment: '同意' })).body;
    expect(granted).toMatchObject({ state: 'in-progress', dueAt: bj('2026-01-30T17:30:00.000'), requestedDueAt: null });
    expect(await counts(id)).toEqual({ lead: before.lead + 1, handler: before.handler + 1, supervisor: before.supervisor + 1 });
    const [approval] = await told(org.token.lead, id);
    expect(approval!.title).toBe('【同意延期】完善数据资源目录');
    expect(approval!.body).toContain('supervisor（市政务服务数据管理局）对任务');
    expect(approval!.body).toContain('意见：同意。任务将于2026年1月30日 17:30到期。请及时办理');
  });

  it('uses the approver’s own date when given; a refusal keeps the due date and drops the request; each decision reaches the owners', async () => {
    await at('2025-12-01T10:00:00');
    const id = await create('推进“一网通办”', '2025-12-31T17:30:00');
    await act(org.token.lead, id, { action: 'accept' });
    await at('2025-12-29T10:00:00');
    await act(org.token.lead, id, { action: 'request-extension', dueAt: '2026-01-30T17:30:00+08:00', comment: '需协调' });
    const own = (await act(org.token.supervisor, id, { action: 'approve-extension', dueAt: '2026-01-16T17:30:00+08:00', comment: '延至1月16日' })).body;
    expect(own).toMatchObject({ dueAt: bj('2026-01-16T17:30:00.000'), requestedDueAt: null });

    await act(org.token.lead, id, { action: 'request-extension', dueAt: '2026-02-27T17:30:00+08:00', comment: '再申请' });
    const refused = (await act(org.token.supervisor, id, { action: 'reject-extension', comment: '不同意' })).body;
    expect(refused).toMatchObject({ state: 'in-progress', dueAt: bj('2026-01-16T17:30:00.000'), requestedDueAt: null });
    // accept (handler), two requests (supervisor), the approval and the refusal (lead and handler).
    expect(await counts(id)).toEqual({ lead: 2, handler: 3, supervisor: 2 });
    expect((await told(org.token.lead, id)).map((n) => n.title)).toEqual(['【不同意延期】推进“一网通办”', '【同意延期】推进“一网通办”']);
  });

  it('asks the supervisor to review a submission; send-back and completion reach the owners, in the past tense once the due date has passed', async () => {
    await at('2025-12-01T10:00:00');
    const id = await create('开展数据质量评估', '2025-12-10T17:30:00');
    await act(org.token.lead, id, { action: 'accept' });
    await at('2025-12-15T10:00:00');
    await act(org.token.lead, id, { action: 'submit', comment: '已完成评估' });
    expect(await counts(id)).toEqual({ lead: 0, handler: 1, supervisor: 1 });
    const [submitted] = await told(org.token.supervisor, id);
    // Wednesday 10 December has passed: spoken of in the past.
    expect(submitted!.body).toContain('任务已于2025年12月10日 17:30到期（已逾期）。请审核（可办理：审核通过、退回）。');

    await act(org.token.supervisor, id, { action: 'send-back', comment: '请补充佐证材料' });
    expect(await counts(id)).toEqual({ lead: 1, handler: 2, supervisor: 1 });
    const [sentBack] = await told(org.token.lead, id);
    expect(sentBack!.title).toBe('【退回】开展数据质量评估');
    expect(sentBack!.body).toContain('意见：请补充佐证材料。任务已于2025年12月10日 17:30到期（已逾期）。请及时办理');

    await act(org.token.handler, id, { action: 'submit', comment: '已补充' });
    await act(org.token.supervisor, id, { action: 'approve' });
    expect(await counts(id)).toEqual({ lead: 2, handler: 3, supervisor: 2 });
    const [completed] = await told(org.token.handler, id);
    expect(completed!.title).toBe('【审核通过】开展数据质量评估');
    expect(completed!.body).toMatch(/当前环节：已完成。任务已结束，无需再办理。$/);

    // 全部已读: one call marks every unread notice of the caller, and only the caller's.
    const unread = async (who: string) =>
      (await http().get('/api/v1/me/notifications').query({ unread: true, limit: 1 }).set('Authorization', who).expect(200)).body.unread;
    const before = { handler: await unread(org.token.handler), supervisor: await unread(org.token.supervisor) };
    expect(before.handler).toBeGreaterThan(0);
    const marked = (await http().post('/api/v1/me/notifications/read-all').set('Authorization', org.token.handler).expect(200)).body;
    expect(marked).toEqual({ marked: before.handler });
    expect(await unread(org.token.handler)).toBe(0);
    expect(await unread(org.token.supervisor)).toBe(before.supervisor);
    expect((await http().post('/api/v1/me/notifications/read-all').set('Authorization', org.token.handler).expect(200)).body).toEqual({ marked: 0 });
  });
});
