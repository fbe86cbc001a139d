import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { HOTLINE_TICKET, PLAN_ITEM } from './builtin.js';
import { effectiveDueAt, initialDueAt, planTimers, type TimerTask } from './timers.js';

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
    // 5wd from Tue Sep 30 10:00: Oct 9, 10, 11 (make-up Saturday), 13, 14.
    expect(ticket().dueAt!.toISOString()).toBe(bj('2025-10-14T10:00:00').toISOString());
    expect(brief(planTimers(HOTLINE_TICKET, ticket(), cn, created))).toEqual([
      // Accept within 2 working hours: 10:00 + 2wh reaches the lunch break, due when work resumes.
      ['sla_breach', bj('2025-09-30T14:00:00').toISOString(), null, 'yellow'],
      ['reminder', bj('2025-10-13T10:00:00').toISOString(), null, null],
      ['escalation', bj('2025-10-14T10:00:00').toISOString(), 1, 'yellow'],
      ['overdue', bj('2025-10-14T10:00:00').toISOString(), null, null],
      ['escalation', bj('2025-10-16T10:00:00').toISOString(), 2, 'red'],
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
    const resumed = ticket({ state: 'processing', pausedWorkingMs: 3 * 3_600_000 });
    expect(effectiveDueAt(resumed, cn)!.toISOString()).toBe(bj('2025-10-14T15:00:00').toISOString());
    expect(
      planTimers(HOTLINE_TICKET, resumed, cn, created)
        .find((t) => t.kind === 'overdue')!
        .dueAt.toISOString(),
    ).toBe(bj('2025-10-14T15:00:00').toISOString());
  });
});

describe('planTimers: paused clocks, SLAs, progress requests and determinism', () => {
  it('plans no deadline while the clock is paused, and nothing once the task is closed', () => {
    expect(planTimers(HOTLINE_TICKET, ticket({ state: 'suspended' }), cn, created)).toEqual([]);
    expect(planTimers(HOTLINE_TICKET, ticket({ state: 'closed' }), cn, created)).toEqual([]);
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
