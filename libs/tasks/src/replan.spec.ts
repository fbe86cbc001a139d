import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { entryHash } from '@duban/audit';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { HOTLINE_TICKET, planTimers } from '@duban/engine';
import { replannedTimers } from './replan.js';
import type { TaskRow } from './task-row.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
const days = fromChineseDays(data);
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days });
/** The same calendar after an admin made Tuesday 8 December 2026 a holiday. */
const holiday8th = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: [...days, { date: '2026-12-08', kind: 'holiday' }] });
const bj = (local: string) => new Date(`${local}+08:00`);
const LEAD = '00000000-0000-4000-8000-00000000000a';

/** A hotline ticket accepted on Monday 30 November 2026, due Monday 7 December 17:00. */
const ticket = (rest: Partial<TaskRow> = {}): TaskRow => ({
  id: '00000000-0000-4000-8000-000000000001',
  ref: 'DB-00000001',
  workflow_key: 'hotline-ticket',
  workflow_version: 1,
  title: '路灯不亮',
  body: null,
  state: 'processing',
  state_entered_at: bj('2026-11-30T10:00:00'),
  parent_id: null,
  external_ref: null,
  priority: 'normal',
  assignee_id: null,
  due_at: bj('2026-12-07T17:00:00'),
  requested_due_at: null,
  paused_since: null,
  card: null,
  escalation_level: 0,
  progress: null,
  data: {},
  version: 2,
  created_by: null,
  created_at: bj('2026-11-30T09:30:00'),
  closed_at: null,
  rated_at: null,
  co_opinions: [],
  paused_working_ms: 0,
  primary_department_id: LEAD,
  accepted_at: bj('2026-11-30T10:00:00'),
  audit_seq: 2,
  audit_hash: 'b'.repeat(64),
  supervising_department_ids: [],
  owners: [{ departmentId: LEAD, role: 'lead' }],
  ...rest,
});

const now = bj('2026-11-30T11:00:00');
/** The live timers as the ticket's last transition planned them, on the calendar before the change. */
const liveOf = (row: TaskRow) =>
  planTimers(
    HOTLINE_TICKET,
    { state: row.state, createdAt: row.created_at, stateEnteredAt: row.state_entered_at, dueAt: row.due_at, pausedWorkingMs: 0 },
    cn,
    now,
  ).map((t) => ({ key: t.key, due_at: t.dueAt }));

describe('replannedTimers: live timers follow a calendar change', () => {
  it('moves the red-card escalation of a ticket due on the 7th from the 9th to the 10th when the 8th becomes a holiday, and nothing else', () => {
    const row = ticket();
    const live = liveOf(row);
    expect(live.find((t) => t.key.startsWith('escalation:2:'))!.due_at).toEqual(bj('2026-12-09T17:00:00'));
    const update = replannedTimers(row, live, { definition: HOTLINE_TICKET, calendar: holiday8th }, { calendar: 'cn' }, now)!;
    const key = `escalation:2:${row.due_at!.toISOString()}`;
    expect(update.timers).toEqual({ move: [{ key, dueAt: bj('2026-12-10T17:00:00') }] });
    expect(update).toMatchObject({ changes: {}, versionBump: 0, events: [], facts: [] });
    expect(update.links).toHaveLength(1);
    expect(update.links[0]).toMatchObject({
      seq: 3,
      prevHash: 'b'.repeat(64),
      at: now,
      actorId: null,
      actorRole: 'system',
      action: 'replanned',
      fromState: 'processing',
      toState: 'processing',
      data: { calendar: 'cn', timers: [{ key, from: '2026-12-09T09:00:00.000Z', to: '2026-12-10T09:00:00.000Z' }] },
    });
    expect(update.links[0]!.hash).toBe(entryHash('b'.repeat(64), update.links[0]!));
  });

  it('moves a reminder and the acceptance SLA too when the new holiday falls between them and the instant they count from', () => {
    // Dispatched Friday 4 December 17:00 and due Tuesday 8 December 16:00: the 2 working hours to accept end on
    // Monday the 7th at 10:00, the reminder (1wd before the due date) is on the 7th at 16:00. The 7th becomes a holiday.
    const row = ticket({
      state: 'dispatched',
      state_entered_at: bj('2026-12-04T17:00:00'),
      created_at: bj('2026-12-04T17:00:00'),
      due_at: bj('2026-12-08T16:00:00'),
    });
    const holiday7th = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: [...days, { date: '2026-12-07', kind: 'holiday' }] });
    const update = replannedTimers(row, liveOf(row), { definition: HOTLINE_TICKET, calendar: holiday7th }, { calendar: 'cn' }, now)!;
    const moves = update.links[0]!.data.timers as { key: string; from: string; to: string }[];
    expect(moves.map((m) => [m.key.split(':')[0], m.from, m.to])).toEqual([
      ['sla', bj('2026-12-07T10:00:00').toISOString(), bj('2026-12-08T10:00:00').toISOString()],
      ['reminder', bj('2026-12-07T16:00:00').toISOString(), bj('2026-12-04T16:00:00').toISOString()],
    ]);
  });

  it('moves the call-back (回访) of a ticket closed on Monday the 7th from the 8th to the 9th when the 8th becomes a holiday', () => {
    const closedAt = bj('2026-12-07T10:00:00');
    const row = ticket({ state: 'closed', state_entered_at: closedAt, closed_at: closedAt });
    const live = liveOf(row);
    expect(live.map((t) => [t.key.split(':')[0], t.due_at])).toEqual([['callback', bj('2026-12-08T10:00:00')]]);
    const update = replannedTimers(row, live, { definition: HOTLINE_TICKET, calendar: holiday8th }, { calendar: 'cn' }, now)!;
    expect(update.timers).toEqual({ move: [{ key: live[0]!.key, dueAt: bj('2026-12-09T10:00:00') }] });
    // Rated since it was closed, it has no call-back to move.
    expect(
      replannedTimers({ ...row, rated_at: bj('2026-12-07T15:00:00') }, live, { definition: HOTLINE_TICKET, calendar: holiday8th }, { calendar: 'cn' }, now),
    ).toBeNull();
  });

  it('answers null when no live timer moved: a change after every timer, a closed task, a suspended one', () => {
    const row = ticket();
    const later = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: [...days, { date: '2026-12-21', kind: 'holiday' }] });
    expect(replannedTimers(row, liveOf(row), { definition: HOTLINE_TICKET, calendar: later }, { calendar: 'cn' }, now)).toBeNull();
    expect(replannedTimers(ticket({ state: 'closed' }), liveOf(row), { definition: HOTLINE_TICKET, calendar: holiday8th }, { calendar: 'cn' }, now)).toBeNull();
    expect(
      replannedTimers(ticket({ state: 'suspended' }), liveOf(row), { definition: HOTLINE_TICKET, calendar: holiday8th }, { calendar: 'cn' }, now),
    ).toBeNull();
  });

  it('leaves alone a timer that is no longer live (fired, cancelled): only the live ones it is given move', () => {
    const row = ticket();
    const live = liveOf(row).filter((t) => !t.key.startsWith('escalation:2:'));
    expect(replannedTimers(row, live, { definition: HOTLINE_TICKET, calendar: holiday8th }, { calendar: 'cn' }, now)).toBeNull();
  });
});
