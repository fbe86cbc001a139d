import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { HOTLINE_TICKET } from '@duban/engine';
import type { RunningWorkflow } from '@duban/workflows';
import type { HistoryRecord } from './history-record.js';
import { importedTask } from './task-import.service.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
/** National Day 2025: 1–8 October off, Saturday 11 October worked; 08:30–12:00 and 14:00–17:30. */
const cn = new BusinessCalendar({ days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);
const HOUR = 3_600_000;
const LEAD = '00000000-0000-4000-8000-00000000000a';
const hotline: RunningWorkflow = { key: 'hotline-ticket', version: 1, definition: HOTLINE_TICKET, calendar: cn };

const record = (rest: Partial<HistoryRecord>): HistoryRecord => ({
  workflow: hotline,
  title: '小区路灯不亮',
  leads: [LEAD],
  cos: [],
  externalRef: 'H-1',
  createdAt: bj('2025-10-09T09:00:00'),
  dueAt: bj('2025-10-15T23:59:59.999'),
  acceptedAt: bj('2025-10-09T09:30:00'),
  closedAt: undefined,
  state: 'processing',
  terminal: false,
  priority: 'normal',
  rating: null,
  pausedWorkingMs: 0,
  pausedSince: undefined,
  extensions: [],
  returns: [],
  cards: [],
  ...rest,
});
const imported = (r: HistoryRecord, now = bj('2025-10-10T09:00:00')) =>
  importedTask(r, '00000000-0000-4000-8000-000000000001', { id: null, role: 'admin' }, null, now);

describe('importedTask: paused time counts toward on time', () => {
  it('judges a closed ticket against its due date moved on by its paused working time', () => {
    // Due the end of Wed 15 Oct, suspended one working day (7 h): due the end of Thu 16 Oct. Closed Thu 16:00: on time, not early.
    const closed = imported(record({ state: 'closed', terminal: true, closedAt: bj('2025-10-16T16:00:00'), pausedWorkingMs: 7 * HOUR }));
    expect(closed.task).toMatchObject({ due_at: bj('2025-10-16T23:59:59.999'), paused_working_ms: 7 * HOUR, closed_early: false, paused_since: null });
    // Handling: Thu 9 (6.5 h), Fri 10, Sat 11, Mon 13, Tue 14, Wed 15 (35 h), Thu 16 to 16:00 (5.5 h) = 47 h, less 7 h paused.
    expect(closed.task.handling_working_days).toBeCloseTo(40 / 7, 12);
    expect(closed.link.data).toMatchObject({
      dueAt: bj('2025-10-15T23:59:59.999').toISOString(),
      pausedWorkingMs: 7 * HOUR,
      dueAtInForce: bj('2025-10-16T23:59:59.999').toISOString(),
    });
  });

  it('plans the timers of an open ticket from the moved due date', () => {
    const open = imported(record({ pausedWorkingMs: 7 * HOUR }));
    expect(open.task.due_at).toEqual(bj('2025-10-16T23:59:59.999'));
    expect(open.timers.find((t) => t.kind === 'overdue')?.dueAt).toEqual(bj('2025-10-17T08:30:00'));
    expect(open.timers.find((t) => t.kind === 'reminder')?.dueAt).toEqual(bj('2025-10-16T08:30:00'));
  });

  it('keeps a suspended ticket’s pausedSince, entered then, with no deadline timers while paused', () => {
    const suspended = imported(record({ state: 'suspended', pausedSince: bj('2025-10-10T10:00:00'), pausedWorkingMs: HOUR }), bj('2025-10-13T09:00:00'));
    expect(suspended.task).toMatchObject({ paused_since: bj('2025-10-10T10:00:00'), state_entered_at: bj('2025-10-10T10:00:00') });
    expect(suspended.timers).toEqual([]);
    expect(suspended.link.data).toMatchObject({ pausedSince: bj('2025-10-10T10:00:00').toISOString() });
  });
});
