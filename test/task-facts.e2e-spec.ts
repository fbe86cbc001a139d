import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { type RunningApp, type TestEnv } from './support/test-env.js';

/**
 * The report facts a live transition stores on its task (accepted_at, accepted_on_time,
 * paused_working_ms, handling_working_days, closed_early), through the HTTP API with the api's
 * clock stopped at chosen instants, so every expected value below is worked out by hand.
 *
 * Calendar cn, October 2025, Beijing time (+08:00): working hours 08:30–12:00 and 14:00–17:30,
 * 7 working hours a working day. 1–8 October are the National Day holiday; Saturday 11 October is
 * a make-up working day (调休上班); 18–19 October an ordinary weekend.
 * hotline-ticket: accepted (签收) within 2 working hours of creation, due at the end of the 5th working
 * day counted from the next day (5wde).
 */
describe('task facts stored by live transitions', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  let clock: TestClock;

  const HOUR = 3_600_000;
  /** An instant in Beijing time, as the api stores and returns it. */
  const bj = (local: string) => new Date(`${local}+08:00`).toISOString();
  const at = (local: string) => clock.stopAt(`${local}+08:00`);

  const create = async (title: string) =>
    (
      await request(api.url)
        .post('/api/v1/tasks')
        .set('Authorization', org.token.supervisor)
        .send({ workflow: 'hotline-ticket', title, leadDepartmentIds: [org.dept.O1] })
        .expect(201)
    ).body as { id: string; createdAt: string; dueAt: string };
  const act = async (id: string, body: object) =>
    (await request(api.url).post(`/api/v1/tasks/${id}/actions`).set('Authorization', org.token.lead).send(body).expect(200)).body as { dueAt: string | null };
  /** The facts as stored in the tasks row. */
  const facts = async (id: string) => {
    const { rows } = await db.query(
      `SELECT created_at, due_at, accepted_at, accepted_on_time, paused_since, paused_working_ms::float8 AS paused_working_ms,
              closed_at, handling_working_days, closed_early
         FROM tasks WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    for (const column of ['created_at', 'due_at', 'accepted_at', 'paused_since', 'closed_at']) row[column] = row[column]?.toISOString() ?? null;
    return row as Record<string, string | number | boolean | null>;
  };

  beforeAll(async () => {
    clock = await testClock();
    // Users and their tokens at the real time; the tokens stay valid at the 2025 instants below.
    ({ testEnv, api, org, db } = await startStack(clock.env));
  });

  afterAll(() => stopStack({ testEnv, api, db }));

  it('premises: calendar cn has National Day 2025 off, the make-up Saturday worked, and office hours', async () => {
    const cn = (await request(api.url).get('/api/v1/calendars/cn').query({ year: 2025 }).set('Authorization', org.token.lead).expect(200)).body;
    const days = new Map(cn.days.map((d: { date: string; kind: string }) => [d.date, d.kind]));
    for (let d = 1; d <= 8; d++) expect([d, days.get(`2025-10-0${d}`)]).toEqual([d, 'holiday']);
    expect(days.get('2025-10-11')).toBe('workday');
    expect(days.has('2025-10-18')).toBe(false);
    expect(cn).toMatchObject({
      timezone: 'Asia/Shanghai',
      workingHours: [
        { start: '08:30', end: '12:00' },
        { start: '14:00', end: '17:30' },
      ],
    });
  });

  // Each test stops the clock at its own instants and creates its own tickets.
  it('moves a resumed ticket’s due date on by exactly the working time it was suspended, and counts handling time without it', async () => {
    await at('2025-10-09T09:00:00');
    const ticket = await create('挂起恢复工单');
    expect(ticket.createdAt).toBe(bj('2025-10-09T09:00:00'));
    // 5wde from Thu 9 Oct: Fri 10 (1), Sat 11 make-up (2), Mon 13 (3), Tue 14 (4), Wed 15 (5), to its end.
    expect(ticket.dueAt).toBe(bj('2025-10-15T23:59:59.999'));

    // Accepted 30 minutes after creation; the limit is 09:00 + 2wh = 11:00.
    await at('2025-10-09T09:30:00');
    await act(ticket.id, { action: 'accept' });
    expect(await facts(ticket.id)).toMatchObject({ accepted_at: bj('2025-10-09T09:30:00'), accepted_on_time: true, paused_working_ms: 0 });

    await at('2025-10-10T16:00:00');
    await act(ticket.id, { action: 'suspend', comment: '等待群众补充材料' });
    expect(await facts(ticket.id)).toMatchObject({ paused_since: bj('2025-10-10T16:00:00'), due_at: bj('2025-10-15T23:59:59.999'), paused_working_ms: 0 });

    // Suspended from Fri 10 Oct 16:00 to Mon 13 Oct 10:30. Working time paused:
    //   Fri 16:00–17:30 = 1.5 h; Sat 11 (make-up working day) 08:30–12:00 + 14:00–17:30 = 7 h;
    //   Sun 12 off; Mon 08:30–10:30 = 2 h. Total 10.5 h = 37 800 000 ms (natural time: 2 days 18.5 h).
    await at('2025-10-13T10:30:00');
    const resumed = await act(ticket.id, { action: 'resume' });
    const paused = 10.5 * HOUR;
    expect(paused).toBe(37_800_000);
    // The due date, the end of Wed 15 Oct, moves on by 10.5 working hours: Thu 16 = 7 h; Fri 17 08:30–12:00 = 3.5 h → Fri 17 Oct 12:00.
    expect(resumed.dueAt).toBe(bj('2025-10-17T12:00:00'));
    expect(await facts(ticket.id)).toMatchObject({ paused_since: null, due_at: bj('2025-10-17T12:00:00'), paused_working_ms: paused });
    const trail = (await request(api.url).get(`/api/v1/tasks/${ticket.id}/audit`).set('Authorization', org.token.lead).expect(200)).body;
    expect(trail.find((e: { action: string }) => e.action === 'resume').data).toMatchObject({ pausedWorkingMs: paused });

    // Closed Wed 15 Oct 14:30. Working time since creation:
    //   Thu 9 09:00–12:00 + 14:00–17:30 = 6.5 h; Fri 10, Sat 11, Mon 13, Tue 14: 4 × 7 = 28 h;
    //   Wed 15 08:30–12:00 + 14:00–14:30 = 4 h. Total 38.5 h, less 10.5 h suspended = 28 h = 4 working days.
    // Closed on Wed 15, two days before its due date Fri 17: early (by the due date before the
    // suspension, the end of Wed 15, it would not have been).
    await at('2025-10-15T14:30:00');
    await act(ticket.id, { action: 'close', comment: '已办结' });
    expect(await facts(ticket.id)).toEqual({
      created_at: bj('2025-10-09T09:00:00'),
      due_at: bj('2025-10-17T12:00:00'),
      accepted_at: bj('2025-10-09T09:30:00'),
      accepted_on_time: true,
      paused_since: null,
      paused_working_ms: paused,
      closed_at: bj('2025-10-15T14:30:00'),
      handling_working_days: 4,
      closed_early: true,
    });
  });

  it('accepts on time against 2 working hours of the calendar, not the clock; counts handling in working days; closes early by the due date', async () => {
    // Both created Mon 13 Oct 11:00. Acceptance limit: 11:00 + 2wh = 11:00–12:00 (1 h), lunch,
    // 14:00–15:00 (1 h) → 15:00. Due: 5wde → Tue 14 (1), Wed 15 (2), Thu 16 (3), Fri 17 (4), Mon 20 Oct (5), to its end.
    await at('2025-10-13T11:00:00');
    const onTime = await create('按时签收工单');
    const late = await create('超时签收工单');
    for (const t of [onTime, late]) expect([t.createdAt, t.dueAt]).toEqual([bj('2025-10-13T11:00:00'), bj('2025-10-20T23:59:59.999')]);

    // 14:59: 3 h 59 min on the clock, 1 h 59 min of working time: on time.
    await at('2025-10-13T14:59:00');
    await act(onTime.id, { action: 'accept' });
    // 15:01: 2 h 1 min of working time: late.
    await at('2025-10-13T15:01:00');
    await act(late.id, { action: 'accept' });
    expect(await facts(onTime.id)).toMatchObject({ accepted_at: bj('2025-10-13T14:59:00'), accepted_on_time: true });
    expect(await facts(late.id)).toMatchObject({ accepted_at: bj('2025-10-13T15:01:00'), accepted_on_time: false });

    // Closed Thu 16 Oct 16:30. Mon 13 11:00–12:00 + 14:00–17:30 = 4.5 h; Tue 14, Wed 15: 2 × 7 = 14 h;
    // Thu 16 08:30–12:00 + 14:00–16:30 = 6 h. Total 24.5 h = 3.5 working days; Thu 16 is before Mon 20: early.
    await at('2025-10-16T16:30:00');
    await act(onTime.id, { action: 'close', comment: '已办结' });
    expect(await facts(onTime.id)).toMatchObject({
      closed_at: bj('2025-10-16T16:30:00'),
      paused_working_ms: 0,
      handling_working_days: 3.5,
      closed_early: true,
    });

    // Closed Mon 20 Oct 16:30, the due date's own day. Mon 13: 4.5 h; Tue 14 – Fri 17:
    // 4 × 7 = 28 h; Sat 18, Sun 19 off; Mon 20 08:30–12:00 + 14:00–16:30 = 6 h. Total 38.5 h = 5.5 working days; not early.
    await at('2025-10-20T16:30:00');
    await act(late.id, { action: 'close', comment: '已办结' });
    expect(await facts(late.id)).toEqual({
      created_at: bj('2025-10-13T11:00:00'),
      due_at: bj('2025-10-20T23:59:59.999'),
      accepted_at: bj('2025-10-13T15:01:00'),
      accepted_on_time: false,
      paused_since: null,
      paused_working_ms: 0,
      closed_at: bj('2025-10-20T16:30:00'),
      handling_working_days: 5.5,
      closed_early: false,
    });
  });
});
