import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { HOTLINE_TICKET, PLAN_ITEM, PROPOSAL_REPLY } from './builtin.js';
import type { WorkflowDefinition } from './definition.js';
import { coOpinionsDueAt, dueNotices, effectiveDueAt, initialDueAt, movedDueAt, planTimers, type TimerTask } from './timers.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
const cn = new BusinessCalendar({ days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);

const created = bj('2025-09-30T10:00:00');
const ticket = (over: Partial<TimerTask> = {}): TimerTask => ({
  state: 'dispatched',
  createdAt: created,
  stateEnteredAt: created,
  dueAt: initialDueAt(HOTLINE_TICKET, created, cn),
  pausedWorkingMs: 0,
  ...over,
});
const brief = (timers: ReturnType<typeof planTimers>) => timers.map((t) => [t.kind, t.dueAt.toISOString(), t.level ?? null, t.card ?? null]);

describe('planTimers: deadlines, reminders and escalations', () => {
  it('plans a hotline ticket dispatched before National Day', () => {
    // 5wde from Tue Sep 30 10:00, counted from the next day: Oct 9, 10, 11 (make-up Saturday), 13, 14 — to its end.
    expect(ticket().dueAt!.toISOString()).toBe(bj('2025-10-14T23:59:59.999').toISOString());
    expect(brief(planTimers(HOTLINE_TICKET, ticket(), cn, created))).toEqual([
      // Accept within 2 working hours: 10:00 + 2wh reaches the lunch break, due when work resumes.
      ['sla_breach', bj('2025-09-30T14:00:00').toISOString(), null, 'yellow'],
      // The yellow warning one working day before: the start of the due day, not Monday midnight.
      ['reminder', bj('2025-10-14T08:30:00').toISOString(), null, 'yellow'],
      // Overdue at midnight: the notice and the red card come when work starts on Wednesday.
      ['escalation', bj('2025-10-15T08:30:00').toISOString(), 1, 'red'],
      ['overdue', bj('2025-10-15T08:30:00').toISOString(), null, null],
      ['escalation', bj('2025-10-17T08:30:00').toISOString(), 2, null],
    ]);
  });

  it('gives an urgent ticket 30 minutes to be accepted and one working day to be answered', () => {
    const urgent = ticket({ dueAt: initialDueAt(HOTLINE_TICKET, created, cn, 'urgent'), priority: 'urgent' });
    // 1wd from Tue Sep 30 10:00 skips the National Day holiday to Thu Oct 9.
    expect(urgent.dueAt!.toISOString()).toBe(bj('2025-10-09T10:00:00').toISOString());
    const sla = planTimers(HOTLINE_TICKET, urgent, cn, created).find((t) => t.kind === 'sla_breach')!;
    expect(sla.dueAt.toISOString()).toBe(bj('2025-09-30T10:30:00').toISOString());
  });

  it('gives the same timers and keys for the same input, and new keys for a new due date', () => {
    const first = planTimers(HOTLINE_TICKET, ticket({ state: 'processing' }), cn, created);
    const again = planTimers(HOTLINE_TICKET, ticket({ state: 'processing' }), cn, created);
    expect(again).toEqual(first);
    const extended = planTimers(HOTLINE_TICKET, ticket({ state: 'processing', dueAt: bj('2025-10-20T17:00:00') }), cn, created);
    const firstKeys = new Set(first.map((t) => t.key));
    expect(extended.some((t) => firstKeys.has(t.key))).toBe(false);
    expect(extended.find((t) => t.kind === 'overdue')!.dueAt.toISOString()).toBe(bj('2025-10-20T17:00:00').toISOString());
  });

  it('moves the due date by the working time the clock was paused', () => {
    // The end of 14 October is past its working time: 3 working hours on lead to Wednesday 15 October 11:30.
    const resumed = ticket({ state: 'processing', pausedWorkingMs: 3 * 3_600_000 });
    expect(effectiveDueAt(resumed, cn)!.toISOString()).toBe(bj('2025-10-15T11:30:00').toISOString());
    expect(
      planTimers(HOTLINE_TICKET, resumed, cn, created)
        .find((t) => t.kind === 'overdue')!
        .dueAt.toISOString(),
    ).toBe(bj('2025-10-15T11:30:00').toISOString());
  });
});

describe('movedDueAt: paused time that runs out with a working period ends there, on its day', () => {
  it('keeps the end of the day when the pause used up whole working days, over 国庆 2026', () => {
    // Due the end of Wednesday 30 September; paused one working day: the end of Thursday 8 October, not Friday 08:30.
    expect(movedDueAt(bj('2026-09-30T23:59:59.999'), 7 * 3_600_000, cn)).toEqual(bj('2026-10-08T23:59:59.999'));
    // Half a day: noon on 8 October, the end of the morning's work.
    expect(movedDueAt(bj('2026-09-30T23:59:59.999'), 3.5 * 3_600_000, cn)).toEqual(bj('2026-10-08T12:00:00'));
    // A due date during the day moves by working time; one at the end of work stays at the end of work.
    expect(movedDueAt(bj('2026-09-30T17:00:00'), 3_600_000, cn)).toEqual(bj('2026-10-08T09:00:00'));
    expect(movedDueAt(bj('2026-09-30T17:30:00'), 7 * 3_600_000, cn)).toEqual(bj('2026-10-08T17:30:00'));
    expect(movedDueAt(bj('2026-09-30T17:30:00'), 3.5 * 3_600_000, cn)).toEqual(bj('2026-10-08T12:00:00'));
    expect(movedDueAt(bj('2026-09-30T17:00:00'), 0, cn)).toEqual(bj('2026-09-30T17:00:00'));
  });
});

describe('planTimers: paused clocks, SLAs, progress requests and determinism', () => {
  it('plans no deadline while the clock is paused, and once the task is closed only its call-back', () => {
    expect(planTimers(HOTLINE_TICKET, ticket({ state: 'suspended' }), cn, created)).toEqual([]);
    expect(planTimers(HOTLINE_TICKET, ticket({ state: 'closed' }), cn, created).map((t) => t.kind)).toEqual(['callback']);
  });

  it('counts a state SLA from entering the state', () => {
    const redispatched = bj('2025-10-09T16:00:00');
    const sla = planTimers(HOTLINE_TICKET, ticket({ stateEnteredAt: redispatched }), cn, redispatched).find((t) => t.kind === 'sla_breach')!;
    expect(sla.dueAt.toISOString()).toBe(bj('2025-10-10T09:00:00').toISOString());
  });

  it('asks for progress on the 25th, or the next working morning when the 25th is off', () => {
    const item: TimerTask = {
      state: 'in-progress',
      createdAt: bj('2025-11-03T09:00:00'),
      stateEnteredAt: bj('2025-11-03T09:00:00'),
      dueAt: bj('2026-12-31T17:30:00'),
      pausedWorkingMs: 0,
    };
    const progress = (now: string) => planTimers(PLAN_ITEM, item, cn, bj(now)).find((t) => t.kind === 'progress')!;
    expect(progress('2025-11-10T10:00:00')).toMatchObject({ key: 'progress:2025-11-25', dueAt: bj('2025-11-25T08:30:00') });
    expect(progress('2025-11-25T09:00:00')).toMatchObject({ key: 'progress:2025-12-25', dueAt: bj('2025-12-25T08:30:00') });
    // 2026-01-25 is a Sunday.
    expect(progress('2026-01-02T09:00:00')).toMatchObject({ key: 'progress:2026-01-25', dueAt: bj('2026-01-26T08:30:00') });
  });

  it('is deterministic with unique keys for any task (fast-check, 300 runs)', () => {
    const states = HOTLINE_TICKET.states.map((s) => s.key);
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 1) }),
        fc.constantFrom(...states),
        fc.integer({ min: 0, max: 50 * 3_600_000 }),
        (createdMs, state, paused) => {
          const createdAt = new Date(createdMs);
          const task: TimerTask = { state, createdAt, stateEnteredAt: createdAt, dueAt: initialDueAt(HOTLINE_TICKET, createdAt, cn), pausedWorkingMs: paused };
          const a = planTimers(HOTLINE_TICKET, task, cn, createdAt);
          expect(planTimers(HOTLINE_TICKET, { ...task }, cn, createdAt)).toEqual(a);
          expect(new Set(a.map((t) => t.key)).size).toBe(a.length);
          const overdue = a.find((t) => t.kind === 'overdue');
          for (const t of a.filter((x) => x.kind === 'reminder')) expect(t.dueAt.getTime()).toBeLessThanOrEqual(overdue!.dueAt.getTime());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('notices at working times, around 中秋 and 国庆 2026', () => {
  // 2026: Sunday 20 September worked; 中秋 25–27 September and 国庆 1–7 October off; Saturday 10 October worked.
  const rules: WorkflowDefinition = {
    ...HOTLINE_TICKET,
    reminders: [{ before: '1wd', notify: ['owner'] }],
    escalations: [
      { level: 1, after: '0m', notify: ['supervisor'], card: 'yellow' },
      { level: 2, after: '1d', notify: ['supervisor'] },
      { level: 3, after: '2wd', notify: ['supervisor'], card: 'red' },
    ],
  };
  const at = (definition: WorkflowDefinition, due: string) =>
    Object.fromEntries(dueNotices(definition, bj(due), cn).map((t) => [t.level ? `${t.kind}${t.level}` : t.kind, t.dueAt.toISOString()]));

  it('reminds 1wd before a due date of 23:59:59 at the start of the due day, not at midnight the day before', () => {
    // Before: Thursday 17 September 23:59:59.
    expect(at(rules, '2026-09-18T23:59:59').reminder).toBe(bj('2026-09-18T08:30:00').toISOString());
    // Due the day after 国庆: 1wd before is 30 September 23:59:59; the reminder comes on the morning of 8 October.
    expect(at(rules, '2026-10-08T23:59:59.999').reminder).toBe(bj('2026-10-08T08:30:00').toISOString());
  });

  it('tells of an end-of-day due date and escalates it at the start of the next working period, not in the night or the holiday', () => {
    expect(at(rules, '2026-09-30T23:59:59.999')).toEqual({
      reminder: bj('2026-09-30T08:30:00').toISOString(),
      overdue: bj('2026-10-08T08:30:00').toISOString(),
      escalation1: bj('2026-10-08T08:30:00').toISOString(),
      // One natural day later is 1 October 23:59:59, in the holiday: also 8 October 08:30.
      escalation2: bj('2026-10-08T08:30:00').toISOString(),
      // 2wd from the due date: 8 October (1), the make-up Saturday 10 October (2).
      escalation3: bj('2026-10-10T08:30:00').toISOString(),
    });
  });

  it('keeps the exact instants when the definition asks for them (lateNotices: exact)', () => {
    expect(at({ ...rules, lateNotices: 'exact' }, '2026-09-30T23:59:59.999')).toMatchObject({
      overdue: bj('2026-09-30T23:59:59.999').toISOString(),
      escalation1: bj('2026-09-30T23:59:59.999').toISOString(),
      escalation2: bj('2026-10-01T23:59:59.999').toISOString(),
    });
  });

  it('keeps natural time natural for a due date that is not at the end of a day', () => {
    const natural: WorkflowDefinition = { ...rules, reminders: [{ before: '1h', notify: ['owner'] }] };
    expect(at(natural, '2026-10-03T10:00:00')).toMatchObject({
      reminder: bj('2026-10-03T09:00:00').toISOString(),
      overdue: bj('2026-10-03T10:00:00').toISOString(),
    });
  });

  it('never reminds after the due date: with no working time left before it, at the end of the last working period', () => {
    const natural: WorkflowDefinition = { ...rules, reminders: [{ before: '2h', notify: ['owner'] }] };
    // Due at the end of 3 October, in the holiday: the next working instant (8 October) would be too late.
    expect(at(natural, '2026-10-03T23:59:59.999').reminder).toBe(bj('2026-09-30T17:30:00').toISOString());
  });

  it('keeps each timer’s key when its instant moves to working time', () => {
    const keys = dueNotices(rules, bj('2026-09-30T23:59:59.999'), cn).map((t) => t.key);
    expect(keys).toContain(`overdue:${bj('2026-09-30T23:59:59.999').toISOString()}`);
  });

  it('asks for progress on a working morning: 25 September 2026 is 中秋, the request comes Monday 28th', () => {
    const item: TimerTask = {
      state: 'in-progress',
      createdAt: bj('2026-09-01T09:00:00'),
      stateEnteredAt: bj('2026-09-01T09:00:00'),
      dueAt: bj('2026-12-31T23:59:59.999'),
      pausedWorkingMs: 0,
    };
    expect(planTimers(PLAN_ITEM, item, cn, bj('2026-09-10T10:00:00')).find((t) => t.kind === 'progress')).toMatchObject({
      key: 'progress:2026-09-25',
      dueAt: bj('2026-09-28T08:30:00'),
    });
  });
});

describe('the call-back (回访) after closing', () => {
  const closedAt = bj('2026-09-30T16:00:00');
  const closed = (ratedAt: Date | null): TimerTask => ({
    state: 'closed',
    createdAt: bj('2026-09-21T09:00:00'),
    stateEnteredAt: closedAt,
    dueAt: bj('2026-09-28T23:59:59.999'),
    pausedWorkingMs: 0,
    ratedAt,
  });

  it('is due one working day after closing, to the dispatcher: over 国庆 to 8 October 16:00', () => {
    expect(planTimers(HOTLINE_TICKET, closed(null), cn, closedAt)).toEqual([
      { key: `callback:closed:${closedAt.toISOString()}`, kind: 'callback', dueAt: bj('2026-10-08T16:00:00'), notify: ['creator'] },
    ]);
  });

  it('is done by a rating given since closing, not by one given before a reopening', () => {
    expect(planTimers(HOTLINE_TICKET, closed(bj('2026-09-30T16:30:00')), cn, closedAt)).toEqual([]);
    expect(planTimers(HOTLINE_TICKET, closed(bj('2026-09-25T10:00:00')), cn, closedAt).map((t) => t.kind)).toEqual(['callback']);
  });
});

describe('the co-units’ opinions (会办意见) on a proposal', () => {
  // Assigned Tuesday 2 September 2025 10:00: the opinions are due one month on, Thursday 2 October 10:00, in the National Day holiday.
  const assigned = bj('2025-09-02T10:00:00');
  const proposal = (over: Partial<TimerTask> = {}): TimerTask => ({
    state: 'assigned',
    createdAt: assigned,
    stateEnteredAt: assigned,
    dueAt: initialDueAt(PROPOSAL_REPLY, assigned, cn),
    pausedWorkingMs: 0,
    coOpinionsOwed: 2,
    ...over,
  });
  const coTimers = (task: TimerTask) => planTimers(PROPOSAL_REPLY, task, cn, task.stateEnteredAt).filter((t) => t.kind.startsWith('co_opinion'));

  it('reminds the co-units 5 working days before the due date and tells the lead unit when it passes', () => {
    expect(coOpinionsDueAt(PROPOSAL_REPLY, assigned, cn)).toEqual(bj('2025-10-02T10:00:00'));
    const due = bj('2025-10-02T10:00:00').toISOString();
    expect(coTimers(proposal())).toEqual([
      // The 5th working day before, at the same clock time: 30, 29, 28 (the make-up Sunday), 26 and 25 September.
      { key: `co_opinion:reminder:0:${due}`, kind: 'co_opinion_reminder', dueAt: bj('2025-09-25T10:00:00'), notify: ['co-owner'] },
      { key: `co_opinion:late:${due}`, kind: 'co_opinion_late', dueAt: bj('2025-10-02T10:00:00'), notify: ['owner'] },
    ]);
  });

  it('keeps them, with their keys, when the lead accepts, and plans none once every co-unit has answered', () => {
    const accepted = coTimers(proposal({ state: 'handling', stateEnteredAt: bj('2025-09-03T09:00:00') }));
    expect(accepted).toEqual(coTimers(proposal()));
    expect(coTimers(proposal({ coOpinionsOwed: 1 }))).toEqual(coTimers(proposal()));
    expect(coTimers(proposal({ coOpinionsOwed: 0 }))).toEqual([]);
    expect(coTimers(proposal({ coOpinionsOwed: undefined }))).toEqual([]);
  });

  it('asks for no opinion once the lead has replied, where co-units can no longer give one', () => {
    expect(coTimers(proposal({ state: 'replied', stateEnteredAt: bj('2025-09-20T10:00:00') }))).toEqual([]);
    expect(coTimers(proposal({ state: 'closed', stateEnteredAt: bj('2025-09-20T10:00:00') }))).toEqual([]);
  });

  it('sends the late notice of an end-of-day due date when work starts, and asks nothing of a workflow without co-opinions', () => {
    const endOfDay = { ...PROPOSAL_REPLY, coOpinions: { ...PROPOSAL_REPLY.coOpinions!, within: '21wde' } };
    // 21 working days counted from Wednesday 3 September (with the make-up Sunday 28th): to the end of Tuesday 30 September;
    // the next working start is Thursday 9 October 08:30, after the holiday.
    const late = planTimers(endOfDay, proposal(), cn, assigned).find((t) => t.kind === 'co_opinion_late')!;
    expect(late.dueAt).toEqual(bj('2025-10-09T08:30:00'));
    expect(planTimers(PLAN_ITEM, { ...proposal(), state: 'accepted' }, cn, assigned).filter((t) => t.kind.startsWith('co_opinion'))).toEqual([]);
  });
});
