import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import type { RunningApp, TestEnv } from './support/test-env.js';

/** What the console (UI.md) shows of a task, read from the API as it answers: names, labels, actions, words. */
describe('the task view and timeline speak to people, and errors say what to fix', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;

  const http = () => request(api.url);
  const ticket = (title: string) => ({ workflow: 'hotline-ticket', title, leadDepartmentIds: [org.dept.O1] });

  beforeAll(async () => {
    ({ testEnv, api, org, db } = await startStack());
  });

  afterAll(() => stopStack({ testEnv, api, db }));

  it('names the workflow, state, owners and actions, and counts the time left in working days', async () => {
    const created = await http().post('/api/v1/tasks').set('Authorization', org.token.admin).send(ticket('路灯不亮')).expect(201);
    const view = await http().get(`/api/v1/tasks/${created.body.id}`).set('Authorization', org.token.lead).expect(200);
    expect(view.body).toMatchObject({
      workflowName: '12345热线工单',
      state: 'dispatched',
      stateLabel: '待签收',
      owners: [{ departmentId: org.dept.O1, role: 'lead', departmentName: '数据资源科' }],
      assigneeName: null,
      timezone: 'Asia/Shanghai',
      timeLeft: { overdue: false, words: expect.stringMatching(/^剩余/) },
    });
    expect(view.body.actions.map((a: { action: string }) => a.action)).toEqual(view.body.allowedActions);
    expect(view.body.actions).toContainEqual({ action: 'accept', label: '签收', requires: [] });
    expect(view.body.actions).toContainEqual({ action: 'return', label: expect.any(String), requires: ['comment'] });
    // The list carries the same names.
    const list = await http().get('/api/v1/tasks').set('Authorization', org.token.lead).expect(200);
    expect(list.body.items.find((t: { id: string }) => t.id === created.body.id)).toMatchObject({
      stateLabel: '待签收',
      owners: [{ departmentName: '数据资源科' }],
    });
  });

  it('tells the timeline who did what in which department, with action and state labels', async () => {
    const created = await http().post('/api/v1/tasks').set('Authorization', org.token.admin).send(ticket('井盖缺失')).expect(201);
    await http().post(`/api/v1/tasks/${created.body.id}/actions`).set('Authorization', org.token.lead).send({ action: 'accept' }).expect(200);
    const audit = await http().get(`/api/v1/tasks/${created.body.id}/audit`).set('Authorization', org.token.lead).expect(200);
    expect(audit.body[0]).toMatchObject({ action: 'create', actionLabel: '创建', fromState: null, fromStateLabel: null, toStateLabel: '待签收' });
    expect(audit.body[1]).toMatchObject({
      action: 'accept',
      actionLabel: '签收',
      actorId: org.userId.lead,
      actorName: 'lead',
      actorDepartmentName: '数据资源科',
      fromStateLabel: '待签收',
      toStateLabel: '办理中',
    });
  });

  it('answers an action the workflow does not have with 400 action-unknown, and one it has elsewhere with 409', async () => {
    const created = await http().post('/api/v1/tasks').set('Authorization', org.token.admin).send(ticket('噪音扰民')).expect(201);
    const act = (action: string) =>
      http().post(`/api/v1/tasks/${created.body.id}/actions`).set('Authorization', org.token.lead).send({ action, comment: '好' });
    const unknown = await act('no-such').expect(400);
    expect(unknown.body).toMatchObject({ code: 'action-unknown', allowedActions: expect.arrayContaining(['accept']) });
    expect(unknown.body.detail).toMatch(/^不存在名为“no-such”的操作/);
    const elsewhere = await act('close').expect(409);
    expect(elsewhere.body).toMatchObject({ code: 'action-not-allowed', allowedActions: expect.arrayContaining(['accept']) });
    expect(elsewhere.body.detail).toMatch(/^任务当前为“待签收”，不能办理“办结”/);
  });

  it('gives each invalid field one message, Chinese first, and a detail naming the fields', async () => {
    const res = await http()
      .post('/api/v1/tasks')
      .set('Authorization', org.token.admin)
      .send({ title: 42, leadDepartmentIds: [org.dept.O1], priority: 'high' })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'validation', detail: expect.stringMatching(/^请求中有字段不合格/) });
    expect(res.body.errors).toEqual([
      { path: 'workflow', message: '必须填写。workflow is required.' },
      { path: 'title', message: expect.stringMatching(/^须为文本。/) },
      { path: 'priority', message: expect.stringMatching(/^须为以下之一：normal、urgent。/) },
    ]);
  });
});
