import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import { pdf } from '../libs/attachments/src/spec-files.js';
import { PROPOSAL_REPLY } from '../libs/engine/src/builtin.js';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

/**
 * Proposal replies as seeds 000 and 003 run them (issue 16.7): the co-handling units (会办单位)
 * send their opinions to the lead unit within a month of the assignment, reminded while they owe
 * them, the lead unit told which are missing when the month is out; the reply letter names a
 * contact person, a cc list (抄送) and goes as the signed file. A proposal led by 数据资源科 (O1:
 * users lead and handler) with two co-units, 政务服务科 (O2: lead2) and 市农业农村局 (F: outsider),
 * assigned by the admin; a worker fires the timers at the real time, brought due by hand.
 */
describe('proposal replies: co-units’ opinions and the reply letter', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let worker: RunningApp;
  let org: Org;
  let db: pg.Client;

  const http = () => request(api.url);
  const act = (who: string, id: string, body: object, status = 200) =>
    http().post(`/api/v1/tasks/${id}/actions`).set('Authorization', who).send(body).expect(status);
  const view = async (id: string, who = org.token.lead) => (await http().get(`/api/v1/tasks/${id}`).set('Authorization', who).expect(200)).body;
  const propose = async (title: string) =>
    (
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: 'proposal-reply', title, leadDepartmentIds: [org.dept.O1], coDepartmentIds: [org.dept.O2, org.dept.F] })
        .expect(201)
    ).body as { id: string; createdAt: string; workflowVersion: number };
  /** The task's co-opinion timers as [kind, status, notify], in due order. */
  const coTimers = async (id: string) =>
    (await db.query(`SELECT kind, status, notify, due_at FROM timers WHERE task_id = $1 AND kind LIKE 'co_opinion%' ORDER BY due_at, kind`, [id])).rows.map(
      (r) => [r.kind, r.status, r.notify],
    );
  const inbox = async (who: string, taskId: string) =>
    (await http().get('/api/v1/me/notifications').query({ taskId, limit: 100 }).set('Authorization', who).expect(200)).body.items as {
      kind: string;
      title: string;
      body: string;
      data: Record<string, unknown>;
    }[];
  const noticesOf = async (who: string, taskId: string, kind: string) => (await inbox(who, taskId)).filter((n) => n.kind === kind);
  /** Brings the task's pending timer of this kind due now, as if its time had come. */
  const comeDue = (taskId: string, kind: string) =>
    db.query(`UPDATE timers SET due_at = now() WHERE task_id = $1 AND kind = $2 AND status = 'pending'`, [taskId, kind]);
  const firedNotice = (who: string, taskId: string, kind: string, what: string) => waitFor(async () => (await noticesOf(who, taskId, kind))[0], what, 30_000);

  beforeAll(async () => {
    ({ testEnv, api, org, db } = await startStack());
    const port = await freePort();
    worker = await startBuilt(
      'apps/worker/src/main.js',
      { ...testEnv.env, WORKER_PORT: String(port), TIMER_PUMP_INTERVAL_MS: '200', TIMER_HORIZON_MS: '60000' },
      port,
      '/health',
    );
  });

  afterAll(async () => {
    await worker?.stop();
    await stopStack({ testEnv, api, db });
  });

  it('asks the co-units for their opinions one month after the assignment', async () => {
    const proposal = await propose('关于破解信息互通共享的建议');
    const timers = (await db.query(`SELECT kind, due_at, notify FROM timers WHERE task_id = $1 AND kind LIKE 'co_opinion%' ORDER BY due_at`, [proposal.id]))
      .rows;
    expect(timers.map((t) => [t.kind, t.notify])).toEqual([
      ['co_opinion_reminder', ['co-owner']],
      ['co_opinion_late', ['owner']],
    ]);
    // 30 natural days after the assignment; the reminder 5 working days before it.
    expect(timers[1].due_at.getTime() - Date.parse(proposal.createdAt)).toBe(30 * 86_400_000);
    expect(timers[0].due_at.getTime()).toBeLessThan(timers[1].due_at.getTime() - 5 * 86_400_000);
  });

  it('reminds only the co-unit still owing its opinion, tells the lead unit which one is missing, and stops once both answered', async () => {
    const proposal = await propose('关于深化数字政府改革建设成果应用的建议');
    // 政务服务科 answers before the lead unit has even accepted: the proposal stays where it is.
    const given = (await act(org.token.lead2, proposal.id, { action: 'co-opinion', comment: '同意主办单位意见，建议加强数据共享。' })).body;
    expect(given.state).toBe('assigned');
    expect(given.coOpinions).toEqual([
      { departmentId: org.dept.O2, departmentName: '政务服务科', at: expect.any(String), comment: '同意主办单位意见，建议加强数据共享。', attachmentIds: [] },
    ]);
    expect((await view(proposal.id)).coOpinions.map((o: { departmentName: string }) => o.departmentName)).toEqual(['政务服务科']);

    await comeDue(proposal.id, 'co_opinion_reminder');
    const reminder = await firedNotice(org.token.outsider, proposal.id, 'co_opinion_due', 'the co-opinion reminder to 市农业农村局');
    expect(reminder.title).toMatch(/^【会办提醒】请于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}前提出关于深化数字政府改革建设成果应用的建议的会办意见$/);
    expect(await noticesOf(org.token.lead2, proposal.id, 'co_opinion_due')).toEqual([]);
    expect(await noticesOf(org.token.lead, proposal.id, 'co_opinion_due')).toEqual([]);

    await comeDue(proposal.id, 'co_opinion_late');
    const late = await firedNotice(org.token.lead, proposal.id, 'co_opinion_late', 'the late notice to the lead unit');
    expect(late.title).toBe('【会办逾期】关于深化数字政府改革建设成果应用的建议尚缺市农业农村局的会办意见');
    expect(late.body).toContain('尚未收到市农业农村局的会办意见');
    expect(late.body).not.toContain('政务服务科');
    expect(late.data.missingDepartmentIds).toEqual([org.dept.F]);
    expect(await noticesOf(org.token.handler, proposal.id, 'co_opinion_late')).toHaveLength(1);
    for (const co of [org.token.lead2, org.token.outsider]) expect(await noticesOf(co, proposal.id, 'co_opinion_late')).toEqual([]);
    const events = (await db.query(`SELECT event, payload FROM outbox WHERE task_id = $1 AND event LIKE 'task.co_opinion%' ORDER BY id`, [proposal.id])).rows;
    expect(events.map((e) => [e.event, e.payload.missingDepartmentIds])).toEqual([
      ['task.co_opinion_due', [org.dept.F]],
      ['task.co_opinion_late', [org.dept.F]],
    ]);

    // Late, 市农业农村局 answers too; the lead unit sees both.
    await act(org.token.outsider, proposal.id, { action: 'co-opinion', comment: '我局无不同意见。' });
    expect((await view(proposal.id)).coOpinions.map((o: { departmentId: string }) => o.departmentId)).toEqual([org.dept.O2, org.dept.F]);
  });

  it('cancels the co-opinion timers for good once every co-unit has answered', async () => {
    const proposal = await propose('关于推进政务服务一网通办的建议');
    await act(org.token.lead2, proposal.id, { action: 'co-opinion', comment: '同意。' });
    expect(await coTimers(proposal.id)).toEqual([
      ['co_opinion_reminder', 'pending', ['co-owner']],
      ['co_opinion_late', 'pending', ['owner']],
    ]);
    await act(org.token.outsider, proposal.id, { action: 'co-opinion', comment: '同意。' });
    expect(await coTimers(proposal.id)).toEqual([
      ['co_opinion_reminder', 'cancelled', ['co-owner']],
      ['co_opinion_late', 'cancelled', ['owner']],
    ]);
    // The lead's acceptance plans the task's timers again: none of the co-units' comes back.
    await act(org.token.lead, proposal.id, { action: 'accept' });
    expect((await coTimers(proposal.id)).map(([, status]) => status)).toEqual(['cancelled', 'cancelled']);
    // A co-unit may still revise its opinion: the latest counts, and nothing is asked again.
    await act(org.token.lead2, proposal.id, { action: 'co-opinion', comment: '补充意见：建议分步实施。' });
    expect((await view(proposal.id)).coOpinions.find((o: { departmentId: string }) => o.departmentId === org.dept.O2).comment).toBe('补充意见：建议分步实施。');
    expect((await coTimers(proposal.id)).map(([, status]) => status)).toEqual(['cancelled', 'cancelled']);
    for (const who of [org.token.lead, org.token.lead2, org.token.outsider]) {
      expect((await inbox(who, proposal.id)).filter((n) => n.kind.startsWith('co_opinion'))).toEqual([]);
    }
  });

  it('refuses a reply without its contact, cc list and signed file, naming each, and records them in the audit entry', async () => {
    const proposal = await propose('关于优化营商环境的建议');
    await act(org.token.lead, proposal.id, { action: 'accept' });
    const refused = (await act(org.token.lead, proposal.id, { action: 'reply', comment: '现将办理情况答复如下。' }, 400)).body;
    expect(refused).toMatchObject({ type: expect.stringContaining('validation'), status: 400 });
    expect(refused.errors).toEqual([
      { path: 'contact', message: '“答复代表”须提供联系人及联系电话。 "reply" needs contact' },
      { path: 'cc', message: '“答复代表”须提供抄送单位。 "reply" needs cc' },
      { path: 'attachmentIds', message: '“答复代表”须提供附件。 "reply" needs attachmentIds' },
    ]);
    const malformed = (await act(org.token.lead, proposal.id, { action: 'reply', contact: { name: '', phone: 'call me' }, cc: [''] }, 400)).body;
    expect(malformed.errors.map((e: { path: string }) => e.path).sort()).toEqual(['cc', 'contact.name', 'contact.phone']);
    // A contact is a reply letter's: another action does not take one.
    const notTaken = (await act(org.token.lead2, proposal.id, { action: 'co-opinion', comment: '同意。', contact: { name: '刘绮璇', phone: '38920239' } }, 400))
      .body;
    expect(notTaken.errors).toEqual([{ path: 'contact', message: '“会办意见”不接受此项。"co-opinion" does not take contact.' }]);

    const letter = (
      await http()
        .post(`/api/v1/tasks/${proposal.id}/attachments`)
        .set('Authorization', org.token.lead)
        .attach('files', pdf('reply'), { filename: '答复函（签发稿）.pdf', contentType: 'application/pdf' })
        .expect(201)
    ).body.items[0];
    const replied = (
      await act(org.token.lead, proposal.id, {
        action: 'reply',
        comment: '现将办理情况答复如下。',
        contact: { name: ' 谢迪生 ', phone: '13631094784' },
        cc: ['市政协提案委', '市政府督查室', '市发展改革局', '市政府督查室'],
        attachmentIds: [letter.id],
      })
    ).body;
    expect(replied.state).toBe('replied');
    const trail = (await http().get(`/api/v1/tasks/${proposal.id}/audit`).set('Authorization', org.token.lead).expect(200)).body;
    expect(trail.at(-1)).toMatchObject({
      action: 'reply',
      fromState: 'handling',
      toState: 'replied',
      data: {
        comment: '现将办理情况答复如下。',
        contact: { name: '谢迪生', phone: '13631094784' },
        cc: ['市政协提案委', '市政府督查室', '市发展改革局'],
        attachmentIds: [letter.id],
      },
    });
    expect((await http().get(`/api/v1/tasks/${proposal.id}/audit/verify`).set('Authorization', org.token.lead).expect(200)).body.valid).toBe(true);
    // After the reply no co-unit is asked for an opinion any more.
    expect((await coTimers(proposal.id)).map(([, status]) => status)).toEqual(['cancelled', 'cancelled']);
  });

  it('documents the reply letter’s inputs and the co-units’ opinions in the OpenAPI document', async () => {
    const schemas = (await http().get('/api/docs-json').expect(200)).body.components.schemas;
    expect(Object.keys(schemas.TaskActionDto.properties)).toEqual(expect.arrayContaining(['contact', 'cc', 'attachmentIds']));
    expect(schemas.ReplyContactDto.required).toEqual(['name', 'phone']);
    expect(schemas.TaskViewDto.properties.coOpinions.description).toContain('会办单位');
    expect(Object.keys(schemas.CoOpinionDto.properties)).toEqual(['departmentId', 'departmentName', 'at', 'comment', 'attachmentIds']);
  });

  it('runs new proposals on a newly published version, while tasks on the earlier one keep its rules', async () => {
    // The definition shipped before issue 16.7, published as the latest version.
    const earlier = {
      key: 'proposal-reply',
      name: '建议提案办理',
      calendar: 'cn',
      deadline: '90d',
      states: [
        { key: 'assigned', label: '已交办', initial: true, sla: { limit: '5wd', breach: { notify: ['owner', 'supervisor'] } } },
        { key: 'handling', label: '办理中' },
        { key: 'replied', label: '已答复' },
        { key: 'closed', label: '已办结', terminal: true },
      ],
      transitions: [
        { action: 'accept', label: '签收', from: ['assigned'], to: 'handling', allowed: ['owner'], kpi: 'acceptance' },
        { action: 'co-opinion', label: '会办意见', from: ['handling'], to: 'handling', allowed: ['co-owner'], requires: ['comment'] },
        { action: 'extend', label: '延期', from: ['handling'], to: 'handling', allowed: ['supervisor'], requires: ['dueAt', 'comment'], kpi: 'extension' },
        { action: 'reply', label: '答复代表', from: ['handling'], to: 'replied', allowed: ['owner'], requires: ['comment'] },
        { action: 'rate', label: '代表评价', from: ['replied'], to: 'closed', allowed: ['supervisor', 'creator'], requires: ['rating'] },
        { action: 'rehandle', label: '重办', from: ['replied'], to: 'handling', allowed: ['supervisor', 'creator'], requires: ['comment'] },
      ],
      reminders: [{ before: '10wd', notify: ['owner'] }],
      escalations: [{ level: 1, after: '0m', notify: ['owner', 'supervisor'], card: 'yellow' }],
    };
    const published = (await http().post('/api/v1/workflows').set('Authorization', org.token.admin).send(earlier).expect(201)).body;
    const old = await propose('关于加强数据安全的建议');
    expect(old.workflowVersion).toBe(published.version);
    expect(await coTimers(old.id)).toEqual([]);

    // The seed never publishes over an admin's later version (issue 17: test/demo-seed); the admin publishes the built-in again.
    const republished = (await http().post('/api/v1/workflows').set('Authorization', org.token.admin).send(PROPOSAL_REPLY).expect(201)).body;
    expect(republished.version).toBe(published.version + 1);

    // New proposals run on the new version; the earlier one keeps its own: a reply with a comment is enough there.
    expect((await propose('关于推进电子证照应用的建议')).workflowVersion).toBe(published.version + 1);
    await act(org.token.lead, old.id, { action: 'accept' });
    const replied = (await act(org.token.lead, old.id, { action: 'reply', comment: '已答复代表。' })).body;
    expect(replied).toMatchObject({ state: 'replied', workflowVersion: published.version, coOpinions: [] });
  });
});
