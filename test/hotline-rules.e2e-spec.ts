import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

/**
 * The 12345 rules on the built-in hotline ticket, through the HTTP API with the api's clock
 * stopped at National Day 2025 instants (calendar cn, Beijing time): 28 September (Sunday) and
 * 11 October (Saturday) are make-up working days, 1–8 October off; working hours 08:30–12:00 and
 * 14:00–17:30. Then, with the real clock and a worker, the notices those rules send.
 */
describe('the 12345 rules on the built-in hotline ticket', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  let clock: TestClock;

  const bj = (local: string) => new Date(`${local}+08:00`).toISOString();
  const at = (local: string) => clock.stopAt(`${local}+08:00`);
  const http = () => request(api.url);

  const create = async (title: string) =>
    (
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.supervisor)
        .send({ workflow: 'hotline-ticket', title, leadDepartmentIds: [org.dept.O1] })
        .expect(201)
    ).body as { id: string; dueAt: string; allowedActions: string[] };
  const act = (who: string, id: string, body: object, status = 200) =>
    http().post(`/api/v1/tasks/${id}/actions`).set('Authorization', who).send(body).expect(status);
  const view = async (id: string, who = org.token.lead) => (await http().get(`/api/v1/tasks/${id}`).set('Authorization', who).expect(200)).body;
  /** The task's live timers, as [kind, due (ISO), level, card, notify]. */
  const timers = async (id: string) =>
    (
      await db.query(`SELECT kind, due_at, level, card, notify FROM timers WHERE task_id = $1 AND status IN ('pending', 'enqueued') ORDER BY due_at, kind`, [
        id,
      ])
    ).rows.map((r) => [r.kind, r.due_at.toISOString(), r.level, r.card, r.notify]);

  beforeAll(async () => {
    clock = await testClock();
    ({ testEnv, api, org, db } = await startStack(clock.env));
  });

  afterAll(() => stopStack({ testEnv, api, db }));

  describe('at National Day 2025 instants', () => {
    it('is due at the end of the 5th working day counted from the next day, warned yellow that morning, red when work resumes', async () => {
      await at('2025-09-26T10:00:00');
      const ticket = await create('反映路灯不亮');
      // Friday 26 Sep: Sun 28 (make-up, 1), Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct (5) — to its end (5wd would end at 10:00).
      expect(ticket.dueAt).toBe(bj('2025-10-10T23:59:59.999'));
      expect(await timers(ticket.id)).toEqual([
        // 10:00 + 2 working hours ends at noon: the breach is due when work resumes.
        ['sla_breach', bj('2025-09-26T14:00:00'), null, 'yellow', ['owner', 'supervisor']],
        // The yellow warning one working day before the due date: the morning of the due day, not midnight.
        ['reminder', bj('2025-10-10T08:30:00'), null, 'yellow', ['owner']],
        // Overdue at midnight before the make-up Saturday: notice and red card at 08:30 that Saturday.
        ['escalation', bj('2025-10-11T08:30:00'), 1, 'red', ['owner', 'supervisor']],
        ['overdue', bj('2025-10-11T08:30:00'), null, null, ['owner']],
        ['escalation', bj('2025-10-14T08:30:00'), 2, null, ['supervisor']],
      ]);
    });

    it('lets a ticket be returned (退单) within 2 working days of its dispatch only, and says why not after', async () => {
      await at('2025-09-26T10:00:00');
      const early = await create('反映违章搭建');
      const late = await create('反映噪音扰民');
      // Two working days from Friday 10:00: the make-up Sunday 28th and Monday 29th, to 10:00.
      await at('2025-09-29T10:00:00');
      expect((await view(early.id)).allowedActions).toEqual(['accept', 'return']);
      expect((await act(org.token.lead, early.id, { action: 'return', comment: '非本单位职责' })).body.state).toBe('returned');

      await at('2025-09-29T10:01:00');
      expect((await view(late.id)).allowedActions).toEqual(['accept']);
      const refused = (await act(org.token.lead, late.id, { action: 'return', comment: '非本单位职责' }, 409)).body;
      expect(refused).toMatchObject({
        type: expect.stringContaining('action-outside-window'),
        status: 409,
        rule: 'within',
        closedAt: bj('2025-09-29T10:00:00'),
        allowedActions: ['accept'],
      });
      expect(refused.detail).toMatch(/^“退单”须在进入“待签收”后2个工作日内办理，时限已于2025年9月29日 10:00届满，现不能再退单。/);
      expect((await view(late.id)).state).toBe('dispatched');
    });

    it('takes one extension request, before the due date, and approves at most 10 working days', async () => {
      await at('2025-09-26T10:00:00');
      const asking = await create('反映积水严重');
      const tooLate = await create('反映道路破损');
      await at('2025-09-26T11:00:00');
      for (const t of [asking, tooLate]) await act(org.token.lead, t.id, { action: 'accept' });

      // Friday 10 October 20:00, the evening of the due day: still before the due date.
      await at('2025-10-10T20:00:00');
      // The date asked for is held to the same 10 working days as the approval.
      const askedTooLong = (
        await act(org.token.lead, asking.id, { action: 'request-extension', dueAt: '2025-10-24T12:00:00+08:00', comment: '需协调施工单位' }, 400)
      ).body;
      expect(askedTooLong).toMatchObject({ type: expect.stringContaining('extension-too-long'), latestDueAt: bj('2025-10-23T23:59:59.999') });
      const asked = (await act(org.token.lead, asking.id, { action: 'request-extension', dueAt: '2025-10-17T17:30:00+08:00', comment: '需协调施工单位' })).body;
      expect(asked).toMatchObject({ state: 'extension-requested', dueAt: bj('2025-10-10T23:59:59.999'), requestedDueAt: bj('2025-10-17T17:30:00') });

      await at('2025-10-11T09:00:00');
      const after = (await act(org.token.lead, tooLate.id, { action: 'request-extension', dueAt: '2025-10-17T17:30:00+08:00', comment: '需协调' }, 409)).body;
      expect(after).toMatchObject({ type: expect.stringContaining('action-outside-window'), rule: 'beforeDue', allowedActions: ['suspend', 'close'] });
      expect(after.detail).toMatch(/^“申请延期”须在办理期限（2025年10月10日 23:59）前提出，现已超过期限。/);

      // 10 working days after Friday 10 October: Sat 11 (make-up), 13–17, 20–23 October, to its end.
      const tooLong = (await act(org.token.supervisor, asking.id, { action: 'approve-extension', dueAt: '2025-10-24T12:00:00+08:00', comment: '同意' }, 400))
        .body;
      expect(tooLong).toMatchObject({ type: expect.stringContaining('extension-too-long'), latestDueAt: bj('2025-10-23T23:59:59.999') });
      expect(tooLong.errors).toEqual([{ path: 'dueAt', message: expect.stringMatching(/^延期不得超过10个工作日，新的办理期限最晚为2025年10月23日 23:59。/) }]);
      const approved = (await act(org.token.supervisor, asking.id, { action: 'approve-extension', dueAt: '2025-10-23T23:59:59.999+08:00', comment: '同意' }))
        .body;
      expect(approved).toMatchObject({ state: 'processing', dueAt: bj('2025-10-23T23:59:59.999') });
      // The number is capped too: one request per ticket.
      const again = (await act(org.token.lead, asking.id, { action: 'request-extension', dueAt: '2025-10-24T17:30:00+08:00', comment: '再申请一次' }, 409))
        .body;
      expect(again.type).toContain('action-limit-reached');
    });

    it('gives the dispatcher one working day to call back (回访) after closing, and a rating is the call-back', async () => {
      await at('2025-10-09T09:00:00');
      const rated = await create('咨询办事流程');
      const waiting = await create('咨询社保政策');
      for (const t of [rated, waiting]) await act(org.token.lead, t.id, { action: 'accept' });
      // Closed Friday 10 October 16:00: the call-back is due Saturday 11 October (make-up day) 16:00, to the creator.
      await at('2025-10-10T16:00:00');
      for (const t of [rated, waiting]) await act(org.token.lead, t.id, { action: 'close', comment: '已答复' });
      for (const t of [rated, waiting]) expect(await timers(t.id)).toEqual([['callback', bj('2025-10-11T16:00:00'), null, null, ['creator']]]);

      await at('2025-10-11T09:00:00');
      expect((await act(org.token.supervisor, rated.id, { action: 'rate', rating: 'satisfied' })).body.state).toBe('closed');
      expect(await timers(rated.id)).toEqual([]);
      expect(await timers(waiting.id)).toHaveLength(1);
    });
  });

  describe('history imported with paused time (POST /tasks/import)', () => {
    const record = (externalRef: string, rest: object) => ({
      workflow: 'hotline-ticket',
      title: `历史工单 ${externalRef}`,
      leadDepartmentIds: [org.dept.O2],
      externalRef,
      createdAt: '2025-10-09T09:00:00+08:00',
      acceptedAt: '2025-10-09T09:30:00+08:00',
      // 5wde from Thursday 9 October: 10, 11 (make-up), 13, 14, 15 — the end of Wednesday 15 October.
      dueAt: '2025-10-15T23:59:59.999+08:00',
      ...rest,
    });
    const imported = async (ref: string) => (await db.query(`SELECT id FROM tasks WHERE external_ref = $1`, [ref])).rows[0].id as string;

    it('writes the rule into the OpenAPI document of POST /tasks/import', async () => {
      const doc = (await http().get('/api/docs-json').expect(200)).body;
      const body = doc.paths['/api/v1/tasks/import'].post.requestBody;
      expect(body.description).toContain('Paused time counts toward on time');
      expect(body.content['application/json'].schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/ImportTaskRecordDoc' } });
      const record = doc.components.schemas.ImportTaskRecordDoc.properties;
      expect(record.pausedWorkingMs.description).toMatch(
        /^Working time \(ms\) the clock was paused .* It counts toward on time: the due date in force is dueAt moved on by it/,
      );
      expect(record.pausedSince.description).toContain('Resuming the task moves its due date on by the working time paused since then.');
      expect(record.dueAt.description).toContain('moved on by pausedWorkingMs');
    });

    it('judges an imported ticket against its due date moved on by its pausedWorkingMs', async () => {
      await at('2025-10-20T09:00:00');
      const closed = { state: 'closed', closedAt: '2025-10-16T16:00:00+08:00' };
      const res = await http()
        .post('/api/v1/tasks/import')
        .set('Authorization', org.token.admin)
        .send([record('PAUSE-1', { ...closed, pausedWorkingMs: 7 * 3_600_000 }), record('PAUSE-0', closed)])
        .expect(200);
      expect(res.body).toMatchObject({ imported: 2, rejected: [] });
      // Suspended one working day before: due the end of Thursday 16 October, closed that day on time. Without it: late.
      expect(await view(await imported('PAUSE-1'), org.token.admin)).toMatchObject({ dueAt: bj('2025-10-16T23:59:59.999'), overdue: false });
      expect((await view(await imported('PAUSE-0'), org.token.admin)).dueAt).toBe(bj('2025-10-15T23:59:59.999'));
      const kpis = (
        await http()
          .get('/api/v1/reports/kpis')
          .query({ from: '2025-10-01', to: '2025-11-01', departmentId: org.dept.O2 })
          .set('Authorization', org.token.admin)
          .expect(200)
      ).body;
      expect(kpis.totals).toMatchObject({ closed: 2, closedOnTime: 1, onTimeRate: 0.5 });
    });

    it('keeps an imported suspended ticket’s pausedSince, so that resuming it gives the paused time back', async () => {
      await at('2025-10-13T09:00:00');
      const suspended = record('PAUSE-S', { state: 'suspended', pausedWorkingMs: 7 * 3_600_000, pausedSince: '2025-10-10T16:00:00+08:00' });
      const missing = record('PAUSE-M', { state: 'suspended' });
      const notPaused = record('PAUSE-P', { state: 'processing', pausedSince: '2025-10-10T16:00:00+08:00' });
      const bad = (await http().post('/api/v1/tasks/import').set('Authorization', org.token.admin).send([suspended, missing, notPaused]).expect(400)).body;
      expect(bad.errors).toEqual([
        {
          path: '[1].pausedSince',
          message: '“suspended”状态的任务计时已暂停，须给出暂停开始时间。Is required for a task in "suspended", whose clock is paused: when it stopped.',
        },
        {
          path: '[2].pausedSince',
          message:
            '“processing”状态的任务未暂停计时，请去掉 pausedSince 或给出暂停状态。A task in "processing" is not paused; leave pausedSince out or give a paused state.',
        },
      ]);
      await http().post('/api/v1/tasks/import').set('Authorization', org.token.admin).send([suspended]).expect(200);
      const id = await imported('PAUSE-S');
      expect(await view(id, org.token.admin)).toMatchObject({ state: 'suspended', dueAt: bj('2025-10-16T23:59:59.999'), overdue: false });

      // Resumed Monday 13 October 10:30: Fri 16:00–17:30 (1.5 h), the make-up Saturday (7 h), Mon 08:30–10:30 (2 h) = 10.5 h paused.
      await at('2025-10-13T10:30:00');
      const resumed = (await act(org.token.lead2, id, { action: 'resume' })).body;
      // From the end of Thu 16 Oct: Fri 17 (7 h), Mon 20 08:30–12:00 (3.5 h).
      expect(resumed).toMatchObject({ state: 'processing', dueAt: bj('2025-10-20T12:00:00') });
      const trail = (await http().get(`/api/v1/tasks/${id}/audit`).set('Authorization', org.token.admin).expect(200)).body;
      expect(trail.map((e: { action: string }) => e.action)).toEqual(['imported', 'resume']);
      expect(trail[1].data).toEqual({ pausedWorkingMs: 10.5 * 3_600_000 });
      const row = (await db.query(`SELECT paused_working_ms::float8 AS ms, paused_since FROM tasks WHERE id = $1`, [id])).rows[0];
      expect(row).toEqual({ ms: 17.5 * 3_600_000, paused_since: null });
    });
  });

  describe('the notices, fired by a worker at the real time', () => {
    let worker: RunningApp;

    beforeAll(async () => {
      await clock.release();
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
    });

    const inbox = async (who: string, taskId: string) =>
      (await http().get('/api/v1/me/notifications').query({ taskId, limit: 100 }).set('Authorization', who).expect(200)).body.items as {
        kind: string;
        title: string;
      }[];
    /** Brings a planned timer of the task due now, as if its time had come. */
    const comeDue = (taskId: string, kind: string) =>
      db.query(`UPDATE timers SET due_at = now() WHERE task_id = $1 AND kind = $2 AND status = 'pending'`, [taskId, kind]);

    it('shows the yellow card of the warning while the ticket is not yet due', async () => {
      // Due at the end of a working day three working days ahead (whatever today is).
      const end = (
        await http()
          .get('/api/v1/calendars/cn/add')
          .query({ from: new Date().toISOString(), duration: '3wde' })
          .set('Authorization', org.token.admin)
          .expect(200)
      ).body.result as string;
      const ticket = (
        await http()
          .post('/api/v1/tasks')
          .set('Authorization', org.token.supervisor)
          .send({ workflow: 'hotline-ticket', title: '反映电梯故障', leadDepartmentIds: [org.dept.O1], dueAt: end })
          .expect(201)
      ).body;
      const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(end));
      const [reminder] = (await timers(ticket.id)).filter(([kind]) => kind === 'reminder');
      expect(reminder).toEqual(['reminder', bj(`${localDay}T08:30:00`), null, 'yellow', ['owner']]);

      await comeDue(ticket.id, 'reminder');
      await waitFor(async () => (await view(ticket.id)).card === 'yellow', 'the yellow card', 30_000);
      expect(await view(ticket.id)).toMatchObject({ card: 'yellow', overdue: false, light: 'yellow' });
      expect((await inbox(org.token.lead, ticket.id)).map((n) => n.kind)).toContain('reminder');
      // The card is the reminder's, not another timer's.
      const trail = (await http().get(`/api/v1/tasks/${ticket.id}/audit`).set('Authorization', org.token.lead).expect(200)).body;
      expect(trail.find((e: { action: string }) => e.action === 'timer.reminder').data).toMatchObject({ card: 'yellow' });
    });

    it('asks the dispatcher to call back when a closed ticket was not rated in time', async () => {
      const ticket = await create('咨询公积金提取');
      await act(org.token.lead, ticket.id, { action: 'accept' });
      await act(org.token.lead, ticket.id, { action: 'close', comment: '已答复' });
      await comeDue(ticket.id, 'callback');
      const [notice] = await waitFor(
        async () => {
          const items = (await inbox(org.token.supervisor, ticket.id)).filter((n) => n.kind === 'callback');
          return items.length > 0 && items;
        },
        'the call-back notice',
        30_000,
      );
      expect(notice!.title).toBe('【回访】咨询公积金提取待回访');
      expect(await inbox(org.token.lead, ticket.id)).not.toContainEqual(expect.objectContaining({ kind: 'callback' }));
      const events = (await db.query(`SELECT event FROM outbox WHERE task_id = $1`, [ticket.id])).rows.map((r) => r.event);
      expect(events).toContain('task.callback_due');
    });
  });
});
