import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import { login, type Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { type RunningApp, type TestEnv } from './support/test-env.js';

describe('tasks: creation, actions, scoping, audit', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  let clock: TestClock;

  const http = () => request(api.url);
  const createTask = async (who: string, body: object, expected = 201) => {
    const res = await http().post('/api/v1/tasks').set('Authorization', who).send(body);
    if (res.status !== expected) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const ticket = (title: string, lead: string, extra: object = {}) => ({ workflow: 'hotline-ticket', title, leadDepartmentIds: [lead], ...extra });

  beforeAll(async () => {
    // The api reads the real time unless a test stops its clock (and gives it back).
    clock = await testClock();
    ({ testEnv, api, org, db } = await startStack({ ...clock.env }));
  });

  afterAll(() => stopStack({ testEnv, api, db }));

  describe('organisation', () => {
    it('inherits the supervising department from the nearest ancestor', async () => {
      const o1 = await http().get(`/api/v1/departments/${org.dept.O1}`).set('Authorization', org.token.lead).expect(200);
      expect(o1.body).toMatchObject({ parentId: org.dept.B, supervisorDepartmentId: null, effectiveSupervisorDepartmentId: org.dept.B, kind: 'office' });
    });

    it('refuses a department under its own sub-department, a duplicate code, and non-admin writes', async () => {
      const cycle = await http().patch(`/api/v1/departments/${org.dept.B}`).set('Authorization', org.token.admin).send({ parentId: org.dept.O1 }).expect(400);
      expect(cycle.body.errors[0].path).toBe('parentId');
      await http().post('/api/v1/departments').set('Authorization', org.token.admin).send({ code: 'o1', name: 'x', kind: 'office' }).expect(409);
      await http().post('/api/v1/departments').set('Authorization', org.token.lead).send({ code: 'zz', name: 'x', kind: 'office' }).expect(403);
      const badParent = await http()
        .post('/api/v1/departments')
        .set('Authorization', org.token.admin)
        .send({ code: 'zz', name: 'x', kind: 'office', parentId: '00000000-0000-4000-8000-000000000000' })
        .expect(400);
      expect(badParent.body.errors[0].path).toBe('parentId');
    });

    it('lists users by department and role, never showing a password', async () => {
      const res = await http().get('/api/v1/users').query({ departmentId: org.dept.O1, role: 'lead' }).set('Authorization', org.token.lead).expect(200);
      expect(res.body.total).toBe(1);
      expect(res.body.items[0]).toEqual({
        id: org.userId.lead,
        username: 'lead',
        displayName: 'lead',
        departmentId: org.dept.O1,
        roles: ['lead'],
        email: null,
      });
      await http()
        .post('/api/v1/users')
        .set('Authorization', org.token.admin)
        .send({ username: 'lead', displayName: 'x', roles: [], password: 'password-123' })
        .expect(409);
      await http()
        .patch(`/api/v1/users/${org.userId.lead}`)
        .set('Authorization', org.token.lead)
        .send({ roles: ['admin'] })
        .expect(403);
    });
  });

  it('takes roles and department from the database, not from an older token', async () => {
    const task = await createTask(org.token.admin, ticket('调岗测试', org.dept.O1));
    await http().get(`/api/v1/tasks/${task.id}`).set('Authorization', org.token.handler).expect(200);
    await http().patch(`/api/v1/users/${org.userId.handler}`).set('Authorization', org.token.admin).send({ departmentId: org.dept.O2 }).expect(200);
    // A department change ends the user's tokens (test/sessions); a new login sees the new department only.
    await http().get(`/api/v1/tasks/${task.id}`).set('Authorization', org.token.handler).expect(401);
    const moved = await login(api.url, 'handler', 'password-123');
    await http().get(`/api/v1/tasks/${task.id}`).set('Authorization', moved).expect(404);
    await http().patch(`/api/v1/users/${org.userId.handler}`).set('Authorization', org.token.admin).send({ departmentId: org.dept.O1 }).expect(200);
    org.token.handler = await login(api.url, 'handler', 'password-123');
    await http().get(`/api/v1/tasks/${task.id}`).set('Authorization', org.token.handler).expect(200);
  });

  describe('creation', () => {
    it('pins the latest workflow version, plans the due date on the calendar, and records the creation', async () => {
      // Created on Tuesday 30 September 2025 at 10:00 in Beijing, the eve of the National Day holiday.
      await clock.stopAt('2025-09-30T10:00:00+08:00');
      try {
        const task = await createTask(org.token.supervisor, ticket('路灯不亮', org.dept.O1, { coDepartmentIds: [org.dept.O2] }));
        expect(task).toMatchObject({
          ref: expect.stringMatching(/^DB-\d{8}$/),
          workflow: 'hotline-ticket',
          workflowVersion: 1,
          state: 'dispatched',
          owners: [
            { departmentId: org.dept.O1, role: 'lead' },
            { departmentId: org.dept.O2, role: 'co' },
          ],
          overdue: false,
          card: null,
          light: 'green',
          version: 1,
          // The supervisor has no transition to take on a dispatched ticket; the built-in acts are theirs on any open task.
          allowedActions: ['urge', 'card'],
        });
        expect(task.createdAt).toBe('2025-09-30T02:00:00.000Z');
        // hotline-ticket is due at the end of the 5th working day counted from the next day (5wde) on
        // calendar cn. 1–8 October are the National Day holiday (国庆节、中秋节), Saturday 11 October a
        // make-up working day (调休上班): Thu 9 Oct (1), Fri 10 (2), Sat 11 (3), Mon 13 (4), Tue 14 (5)
        // → Tue 14 Oct 23:59:59.999 Beijing = 15:59:59.999Z.
        expect(task.dueAt).toBe('2025-10-14T15:59:59.999Z');
        expect(new Date(task.dueAt).getTime()).toBeGreaterThan(Date.parse(task.createdAt));
        const timers = await db.query(`SELECT kind, status, due_at FROM timers WHERE task_id = $1 ORDER BY due_at, key`, [task.id]);
        expect(timers.rows.map((r) => r.kind).sort()).toEqual(['escalation', 'escalation', 'overdue', 'reminder', 'sla_breach']);
        expect(timers.rows.map((r) => [r.kind, r.due_at.toISOString()])).toEqual([
          // Accept within 2 working hours: 10:00–12:00 uses them up at the lunch break, due when work resumes at 14:00.
          ['sla_breach', '2025-09-30T06:00:00.000Z'],
          // 1wd before the due date is Mon 13 Oct at midnight: the warning comes when work starts, Tue 14 Oct 08:30.
          ['reminder', '2025-10-14T00:30:00.000Z'],
          // At the start of work after the due date, in key order: escalation level 1 (after 0m) and the overdue notice.
          ['escalation', '2025-10-15T00:30:00.000Z'],
          ['overdue', '2025-10-15T00:30:00.000Z'],
          // Level 2, 2wd after the due date: from Wed 15 08:30, Thu 16 (1), Fri 17 Oct (2) 08:30.
          ['escalation', '2025-10-17T00:30:00.000Z'],
        ]);
        const outbox = await db.query(`SELECT event FROM outbox WHERE task_id = $1`, [task.id]);
        expect(outbox.rows).toEqual([{ event: 'task.created' }]);
        const audit = await http().get(`/api/v1/tasks/${task.id}/audit`).set('Authorization', org.token.lead).expect(200);
        expect(audit.body).toEqual([
          expect.objectContaining({
            seq: 1,
            action: 'create',
            fromState: null,
            toState: 'dispatched',
            actorId: org.userId.supervisor,
            prevHash: '0'.repeat(64),
          }),
        ]);
        // Handled the same morning, so this 2025 ticket is not among the overdue ones the list tests below count.
        await clock.stopAt('2025-09-30T10:30:00+08:00');
        await http().post(`/api/v1/tasks/${task.id}/actions`).set('Authorization', org.token.lead).send({ action: 'accept' }).expect(200);
        await http().post(`/api/v1/tasks/${task.id}/actions`).set('Authorization', org.token.lead).send({ action: 'close', comment: '已修复' }).expect(200);
      } finally {
        await clock.release();
      }
    });

    it('lets only admins and supervisors of the lead departments assign tasks', async () => {
      await createTask(org.token.lead, ticket('x', org.dept.O1), 403);
      await createTask(org.token.supervisor2, ticket('x', org.dept.O1), 403);
      await createTask(org.token.admin, ticket('x', org.dept.F), 201);
    });

    it('names bad input: unknown workflow, department, duplicate externalRef, a lead that is also a co-owner', async () => {
      const wf = await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send(ticket('x', org.dept.O1, { workflow: 'nope' }))
        .expect(400);
      expect(wf.body.errors[0].path).toBe('workflow');
      const dept = await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send(ticket('x', '00000000-0000-4000-8000-000000000000'))
        .expect(400);
      expect(dept.body.errors[0].path).toBe('leadDepartmentIds');
      const both = await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send(ticket('x', org.dept.O1, { coDepartmentIds: [org.dept.O1] }))
        .expect(400);
      expect(both.body.errors[0].path).toBe('coDepartmentIds');
      await createTask(org.token.admin, ticket('x', org.dept.O1, { externalRef: '12345-001' }));
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send(ticket('y', org.dept.O1, { externalRef: '12345-001' }))
        .expect(409);
    });

    it('answers a retry with the same Idempotency-Key with the first response, and creates once', async () => {
      const body = ticket('重复提交', org.dept.O1);
      const [a, b] = await Promise.all([
        http().post('/api/v1/tasks').set('Authorization', org.token.supervisor).set('Idempotency-Key', 'k-1').send(body),
        http().post('/api/v1/tasks').set('Authorization', org.token.supervisor).set('Idempotency-Key', 'k-1').send(body),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.id).toBe(a.body.id);
      const count = await db.query(`SELECT count(*)::int AS n FROM tasks WHERE title = '重复提交'`);
      expect(count.rows[0].n).toBe(1);
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.supervisor)
        .set('Idempotency-Key', 'k-1')
        .send({ ...body, title: '别的' })
        .expect(422);
      // Keys belong to their caller: another user's k-1 is a new request.
      const other = await http().post('/api/v1/tasks').set('Authorization', org.token.admin).set('Idempotency-Key', 'k-1').send(body).expect(201);
      expect(other.body.id).not.toBe(a.body.id);
    });
  });

  describe('actions', () => {
    it('runs a ticket through accept, suspend, resume, extend and close', async () => {
      const task = await createTask(org.token.supervisor, ticket('井盖缺失', org.dept.O1));
      const act = (who: string, body: object, status = 200) =>
        http().post(`/api/v1/tasks/${task.id}/actions`).set('Authorization', who).send(body).expect(status);
      expect((await http().get(`/api/v1/tasks/${task.id}`).set('Authorization', org.token.lead).expect(200)).body.allowedActions).toEqual(['accept', 'return']);
      const accepted = (await act(org.token.lead, { action: 'accept', expectedVersion: 1 })).body;
      expect(accepted).toMatchObject({ state: 'processing', version: 2, allowedActions: ['suspend', 'request-extension', 'close'] });

      const notHere = (await act(org.token.lead, { action: 'accept' }, 409)).body;
      expect(notHere).toMatchObject({ status: 409, allowedActions: ['suspend', 'request-extension', 'close'] });
      const stale = (await act(org.token.lead, { action: 'close', comment: 'x', expectedVersion: 1 }, 409)).body;
      expect(stale.detail).toMatch(/version 2/);
      await act(org.token.lead, { action: 'extend', dueAt: '2099-01-01T00:00:00Z', comment: 'x' }, 403);
      const missing = (await act(org.token.lead, { action: 'close' }, 400)).body;
      expect(missing.errors).toEqual([{ path: 'comment', message: expect.any(String) }]);

      await act(org.token.handler, { action: 'suspend', comment: '等待群众补充材料' });
      const resumed = (await act(org.token.lead, { action: 'resume' })).body;
      expect(resumed.state).toBe('processing');
      const extended = (await act(org.token.supervisor, { action: 'extend', dueAt: '2099-01-01T10:00:00+08:00', comment: '需协调多部门' })).body;
      expect(extended.dueAt).toBe('2099-01-01T02:00:00.000Z');
      const closed = (await act(org.token.lead, { action: 'close', comment: '已修复' })).body;
      expect(closed).toMatchObject({ state: 'closed', closedAt: expect.any(String), allowedActions: [] });

      // Closing cancels the deadline's timers; what is left is the dispatcher's call-back (回访).
      const live = await db.query(`SELECT kind FROM timers WHERE task_id = $1 AND status IN ('pending', 'enqueued')`, [task.id]);
      expect(live.rows.map((r) => r.kind)).toEqual(['callback']);
      const events = await db.query(`SELECT event FROM outbox WHERE task_id = $1 ORDER BY id`, [task.id]);
      expect(events.rows.map((r) => r.event)).toEqual([
        'task.created',
        'task.transitioned',
        'task.transitioned',
        'task.transitioned',
        'task.transitioned',
        'task.transitioned',
        'task.closed',
      ]);
      const audit = (await http().get(`/api/v1/tasks/${task.id}/audit`).set('Authorization', org.token.lead).expect(200)).body;
      expect(audit.map((e: { action: string }) => e.action)).toEqual(['create', 'accept', 'suspend', 'resume', 'extend', 'close']);
      expect(audit[4].data).toMatchObject({ comment: '需协调多部门', dueAt: { to: '2099-01-01T02:00:00.000Z' } });
      await http().get(`/api/v1/tasks/${task.id}/audit/verify`).set('Authorization', org.token.lead).expect(200, { valid: true, entries: 6 });
    });

    it('grants one extension per ticket on request, and reopens a ticket whose citizen is unsatisfied (重办)', async () => {
      const task = await createTask(org.token.supervisor, ticket('路面塌陷', org.dept.O1, { priority: 'urgent' }));
      const act = (who: string, body: object, status = 200) =>
        http().post(`/api/v1/tasks/${task.id}/actions`).set('Authorization', who).send(body).expect(status);
      await act(org.token.lead, { action: 'accept' });
      const dueAt = new Date(Date.now() + 10 * 86_400_000).toISOString();
      await act(org.token.lead, { action: 'request-extension', dueAt, comment: '需协调施工单位' });
      const extended = (await act(org.token.supervisor, { action: 'approve-extension', dueAt, comment: '同意' })).body;
      expect(extended).toMatchObject({ state: 'processing', dueAt });
      const again = (await act(org.token.lead, { action: 'request-extension', dueAt, comment: '再申请一次' }, 409)).body;
      expect(again).toMatchObject({ type: expect.stringContaining('action-limit-reached'), allowedActions: ['suspend', 'close'] });
      await act(org.token.lead, { action: 'close', comment: '已修复' });
      await act(org.token.lead, { action: 'rate', rating: 'unsatisfied' }, 403);
      const reopened = (await act(org.token.supervisor, { action: 'rate', rating: 'unsatisfied' })).body;
      expect(reopened).toMatchObject({ state: 'processing', closedAt: null });
      await act(org.token.lead, { action: 'close', comment: '已重新修复并回访' });
      expect((await act(org.token.supervisor, { action: 'rate', rating: 'satisfied' })).body).toMatchObject({ state: 'closed', closedAt: expect.any(String) });
    });

    it('lets exactly one of 50 concurrent identical actions win', async () => {
      const task = await createTask(org.token.supervisor, ticket('并发签收', org.dept.O1));
      const results = await Promise.all(
        Array.from({ length: 50 }, () => http().post(`/api/v1/tasks/${task.id}/actions`).set('Authorization', org.token.lead).send({ action: 'accept' })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(49);
      const accepts = await db.query(`SELECT count(*)::int AS n FROM audit_entries WHERE task_id = $1 AND action = 'accept'`, [task.id]);
      expect(accepts.rows[0].n).toBe(1);
    });
  });

  it('chains 20 concurrent progress reports on one task without a gap or a clash', async () => {
    const item = await createTask(org.token.admin, { workflow: 'plan-item', title: '并发填报', leadDepartmentIds: [org.dept.O2] });
    await http().post(`/api/v1/tasks/${item.id}/actions`).set('Authorization', org.token.lead2).send({ action: 'accept' }).expect(200);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http().post(`/api/v1/tasks/${item.id}/actions`).set('Authorization', org.token.lead2).send({ action: 'report', progress: i }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await http().get(`/api/v1/tasks/${item.id}`).set('Authorization', org.token.lead2).expect(200)).body.version).toBe(22);
    await http().get(`/api/v1/tasks/${item.id}/audit/verify`).set('Authorization', org.token.lead2).expect(200, { valid: true, entries: 22 });
  });

  it('takes an upper-case task id as the same task, and keeps the audit chain valid', async () => {
    const task = await createTask(org.token.supervisor, ticket('大写编号', org.dept.O1));
    await http().post(`/api/v1/tasks/${task.id.toUpperCase()}/actions`).set('Authorization', org.token.lead).send({ action: 'accept' }).expect(200);
    await http().get(`/api/v1/tasks/${task.id}/audit/verify`).set('Authorization', org.token.lead).expect(200, { valid: true, entries: 2 });
    const both = await http()
      .post('/api/v1/tasks')
      .set('Authorization', org.token.admin)
      .send(ticket('x', org.dept.O1, { coDepartmentIds: [org.dept.O1.toUpperCase()] }))
      .expect(400);
    expect(both.body.errors[0].path).toBe('coDepartmentIds');
  });

  it('answers values PostgreSQL cannot store, and deeply nested JSON, with 400', async () => {
    await http().post('/api/v1/tasks').set('Authorization', org.token.admin).send(ticket('含\u0000字符', org.dept.O1)).expect(400);
    let nested: unknown = 1;
    for (let i = 0; i < 100; i++) nested = { a: nested };
    const deep = await http()
      .post('/api/v1/tasks')
      .set('Authorization', org.token.admin)
      .send(ticket('嵌套', org.dept.O1, { data: nested }))
      .expect(400);
    expect(deep.body.detail).toMatch(/nested deeper/);
    const count = await db.query(`SELECT count(*)::int AS n FROM tasks WHERE title IN ('嵌套')`);
    expect(count.rows[0].n).toBe(0);
  });

  describe('lists', () => {
    it('filters by state, department, workflow, card, parent, overdue and title, newest first', async () => {
      const parent = await createTask(org.token.admin, { workflow: 'plan-item', title: '推进一网通办', leadDepartmentIds: [org.dept.O2] });
      const child = await createTask(org.token.admin, {
        workflow: 'plan-item',
        title: '推进一网通办（数据资源科）',
        leadDepartmentIds: [org.dept.O1],
        parentId: parent.id,
      });
      // A new task cannot be due in the past: this one is made overdue behind the api's back.
      const late = await createTask(org.token.admin, ticket('逾期工单', org.dept.O2));
      await db.query(`UPDATE tasks SET card = 'red', due_at = '2020-01-01T00:00:00Z' WHERE id = $1`, [late.id]);
      const list = (query: object, who = org.token.admin) =>
        http()
          .get('/api/v1/tasks')
          .query({ limit: 1000, ...query })
          .set('Authorization', who)
          .expect(200);

      expect((await list({ parentId: parent.id })).body.items.map((t: { id: string }) => t.id)).toEqual([child.id]);
      expect((await list({ workflow: 'plan-item', departmentId: org.dept.O1 })).body.items.map((t: { id: string }) => t.id)).toEqual([child.id]);
      const overdue = (await list({ overdue: 'true' })).body;
      expect(overdue.items.map((t: { id: string }) => t.id)).toEqual([late.id]);
      expect(overdue.items[0]).toMatchObject({ overdue: true, light: 'red', card: 'red' });
      expect((await list({ card: 'red' })).body.total).toBe(1);
      expect((await list({ q: '一网通办' })).body.total).toBe(2);
      expect((await list({ q: '100%_' })).body.total).toBe(0);
      const inProgress = (await list({ state: 'in-progress' })).body.items;
      expect(inProgress.every((t: { state: string }) => t.state === 'in-progress')).toBe(true);
      expect(inProgress.map((t: { id: string }) => t.id)).not.toContain(child.id);
      expect((await list({ state: 'assigned', parentId: parent.id })).body.items.map((t: { id: string }) => t.id)).toEqual([child.id]);
      const all = (await list({})).body.items.map((t: { createdAt: string }) => t.createdAt);
      expect([...all].sort().reverse()).toEqual(all);
      const paged = (await list({ limit: 2, page: 2 })).body;
      expect(paged.total).toBeGreaterThanOrEqual(3);
      expect(paged.items).toHaveLength(Math.min(2, paged.total - 2));
      expect(paged.items[0].createdAt).toBe(all[2]);
    });

    it('gives a lead their department’s tasks as they change: accepted, suspended, carded, co-owned', async () => {
      const mine = await createTask(org.token.admin, ticket('科室工单甲', org.dept.O2));
      const late = await createTask(org.token.admin, ticket('科室工单乙', org.dept.O2));
      await db.query(`UPDATE tasks SET due_at = '2020-01-01T00:00:00Z' WHERE id = $1`, [late.id]);
      const coOwned = await createTask(org.token.admin, ticket('协办工单丙', org.dept.O1, { coDepartmentIds: [org.dept.O2] }));
      const act = (id: string, action: string, comment?: string) =>
        http().post(`/api/v1/tasks/${id}/actions`).set('Authorization', org.token.lead2).send({ action, comment }).expect(200);
      const lead2 = async (query: object) =>
        (
          await http()
            .get('/api/v1/tasks')
            .query({ limit: 1000, ...query })
            .set('Authorization', org.token.lead2)
            .expect(200)
        ).body;
      const ids = (body: { items: { id: string }[] }) => body.items.map((t) => t.id);
      // What the tasks themselves say, not the copies the list reads: the department's own tasks and
      // the children of those it leads (the plan item above has one).
      const truth = async (condition: string) =>
        (
          await db.query(
            `SELECT count(*)::int AS n FROM tasks t
              WHERE (t.owner_department_ids @> ARRAY[$1::uuid] OR t.supervising_department_ids @> ARRAY[$1::uuid]) AND ${condition}`,
            [org.dept.O2],
          )
        ).rows[0].n;

      const everything = await lead2({});
      expect(ids(everything)).toEqual(expect.arrayContaining([mine.id, late.id, coOwned.id]));
      expect(everything.total).toBe(await truth('TRUE'));
      expect(everything.items.map((t: { createdAt: string }) => t.createdAt)).toEqual(
        everything.items
          .map((t: { createdAt: string }) => t.createdAt)
          .sort()
          .reverse(),
      );

      await act(mine.id, 'accept');
      const processing = await lead2({ state: 'processing' });
      expect(ids(processing)).toContain(mine.id);
      expect(ids(processing)).not.toContain(late.id);
      expect(processing.total).toBe(await truth(`t.state = 'processing'`));

      expect(ids(await lead2({ overdue: 'true' }))).toContain(late.id);
      await act(late.id, 'accept');
      await act(late.id, 'suspend', '等待群众补充材料');
      // Suspended: the clock is paused, so it is no longer overdue.
      const overdue = await lead2({ overdue: 'true' });
      expect(ids(overdue)).not.toContain(late.id);
      expect(overdue.total).toBe(await truth('t.closed_at IS NULL AND t.paused_since IS NULL AND t.due_at < now()'));

      await db.query(`UPDATE tasks SET card = 'yellow' WHERE id = $1`, [mine.id]);
      const yellow = await lead2({ card: 'yellow', workflow: 'hotline-ticket' });
      expect(ids(yellow)).toContain(mine.id);
      expect(yellow.total).toBe(await truth(`t.card = 'yellow' AND t.workflow_key = 'hotline-ticket'`));
      expect(ids(await lead2({ q: '协办工单丙' }))).toEqual([coOwned.id]);
      // The same department through an admin's filter: the same tasks.
      const asAdmin = await http().get('/api/v1/tasks').query({ limit: 1000, departmentId: org.dept.O2 }).set('Authorization', org.token.admin).expect(200);
      expect(asAdmin.body.total).toBe(everything.total);
    });
  });
});
