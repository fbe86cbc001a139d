import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import { type Stack, startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, waitFor } from './support/test-env.js';

/** Beijing local time as an ISO instant. */
const bj = (local: string) => new Date(`${local}+08:00`).toISOString();

describe('timers are re-planned when the calendar changes', () => {
  let stack: Stack;
  let clock: TestClock;
  let worker: RunningApp | undefined;

  beforeAll(async () => {
    clock = await testClock();
    stack = await startStack(clock.env);
    // Monday 30 November 2026, 10:00 in Beijing: the stack's clock (api, database, so the worker too) stands still there.
    await clock.stopAt('2026-11-30T10:00:00+08:00');
  });

  afterAll(async () => {
    await worker?.stop();
    await stopStack(stack ?? {});
  });

  const http = () => request(stack.api.url);
  const ticket = async (title: string, dueAt: string) =>
    (
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', stack.org.token.supervisor)
        .send({ workflow: 'hotline-ticket', title, leadDepartmentIds: [stack.org.dept.O1], dueAt })
        .expect(201)
    ).body as { id: string };
  const act = (id: string, body: object) => http().post(`/api/v1/tasks/${id}/actions`).set('Authorization', stack.org.token.lead).send(body).expect(200);
  const timers = async (id: string) =>
    (await stack.db.query(`SELECT id, key, kind, level, status, due_at FROM timers WHERE task_id = $1 AND status IN ('pending', 'enqueued')`, [id])).rows as {
      id: string;
      key: string;
      kind: string;
      level: number | null;
      due_at: Date;
    }[];
  const redCard = async (id: string) => (await timers(id)).find((t) => t.kind === 'escalation' && t.level === 2)!;
  const trail = async (id: string) =>
    (await http().get(`/api/v1/tasks/${id}/audit`).set('Authorization', stack.org.token.lead).expect(200)).body as {
      action: string;
      actorId: string | null;
      data: Record<string, unknown>;
    }[];
  const setDay = (date: string, kind: 'holiday' | 'workday' | null) =>
    kind
      ? http().put(`/api/v1/calendars/cn/days/${date}`).set('Authorization', stack.org.token.admin).send({ kind }).expect(200)
      : http().delete(`/api/v1/calendars/cn/days/${date}`).set('Authorization', stack.org.token.admin).expect(204);
  const replansDone = () =>
    waitFor(async () => (await stack.db.query(`SELECT 1 FROM timer_replans WHERE done_at IS NULL`)).rowCount === 0, 'every re-plan request to be done', 30_000);

  it('moves the red-card escalation of a ticket due on the 7th from the 9th to the 10th when the 8th becomes a holiday; audits it as replanned', async () => {
    // Due Monday 7 December 17:00: the red card (level 2) comes 2 working days later, Wednesday the 9th.
    const due7th = await ticket('路灯不亮', bj('2026-12-07T17:00:00'));
    await act(due7th.id, { action: 'accept' });
    // Due the 21st: none of its timers has the 8th between it and the instant it counts from.
    const due21st = await ticket('井盖缺失', bj('2026-12-21T17:00:00'));
    // A ticket accepted after the change, before any re-plan ran: the transition plans it on the new calendar.
    const acceptedAfter = await ticket('噪音扰民', bj('2026-12-07T17:00:00'));
    const before = await redCard(due7th.id);
    expect(before.due_at.toISOString()).toBe(bj('2026-12-09T17:00:00'));

    // No worker runs yet: the request waits in PostgreSQL.
    await setDay('2026-12-08', 'holiday');
    expect((await stack.db.query(`SELECT calendar_key, done_at FROM timer_replans`)).rows).toEqual([{ calendar_key: 'cn', done_at: null }]);
    await act(acceptedAfter.id, { action: 'accept' });
    expect((await redCard(acceptedAfter.id)).due_at.toISOString()).toBe(bj('2026-12-10T17:00:00'));

    const port = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...stack.testEnv.env, WORKER_PORT: String(port), TIMER_PUMP_INTERVAL_MS: '200' }, port, '/health');
    await replansDone();
    const after = await redCard(due7th.id);
    expect(after).toMatchObject({ key: before.key, status: 'pending', due_at: new Date(bj('2026-12-10T17:00:00')) });
    // A new id: a job of the old one still waiting in BullMQ would find nothing to fire.
    expect(after.id).not.toBe(before.id);
    const moved = await trail(due7th.id);
    expect(moved.map((e) => e.action)).toEqual(['create', 'accept', 'replanned']);
    expect(moved[2]).toMatchObject({
      actorId: null,
      data: { calendar: 'cn', timers: [{ key: before.key, from: bj('2026-12-09T17:00:00'), to: bj('2026-12-10T17:00:00') }] },
    });
    await http().get(`/api/v1/tasks/${due7th.id}/audit/verify`).set('Authorization', stack.org.token.lead).expect(200, { valid: true, entries: 3 });
    // None of the 21st's timers moved, but its light's yellow boundary did: the 8th was working time it was allowed.
    const due21stTrail = await trail(due21st.id);
    expect(due21stTrail.map((e) => e.action)).toEqual(['create', 'replanned']);
    expect(due21stTrail[1]!.data).toMatchObject({ calendar: 'cn', timers: [], yellowFrom: { from: expect.any(String), to: expect.any(String) } });
    // Only tasks whose timers or boundary moved get the link.
    expect((await trail(acceptedAfter.id)).map((e) => e.action)).toEqual(['create', 'accept']);
    expect((await stack.db.query(`SELECT replanned FROM timer_replans`)).rows).toEqual([{ replanned: 2 }]);
  }, 90_000);

  it('moves them back when the holiday is deleted: each ticket on the calendar whose timer moved is audited again', async () => {
    await setDay('2026-12-08', null);
    await replansDone();
    const tickets = (await stack.db.query(`SELECT id FROM tasks WHERE title IN ('路灯不亮', '噪音扰民') ORDER BY title`)).rows as { id: string }[];
    for (const { id } of tickets) {
      expect((await redCard(id)).due_at.toISOString()).toBe(bj('2026-12-09T17:00:00'));
      const last = (await trail(id)).at(-1)!;
      expect(last).toMatchObject({ action: 'replanned', data: { timers: [{ from: bj('2026-12-10T17:00:00'), to: bj('2026-12-09T17:00:00') }] } });
    }
  }, 60_000);
});
