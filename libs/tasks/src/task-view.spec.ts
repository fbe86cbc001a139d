import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { PLAN_ITEM } from '@duban/engine';
import { NO_CHILDREN } from './task-family.js';
import { calendarWarningOf, lightAt, lightOf, toTaskView, yellowFromOf } from './task-view.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
/** 08:30–12:00 and 14:00–17:30 (7 working hours a day), National Day 1–8 October 2025 off. */
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);

/** An open ticket as the list shows it. */
const ticket = (createdAt: string, dueAt: string, rest: Partial<Parameters<typeof lightOf>[0]> = {}) => ({
  created_at: bj(createdAt),
  due_at: bj(dueAt),
  closed_at: null,
  paused_since: null,
  card: null,
  paused_working_ms: 0,
  ...rest,
});

describe('the traffic light (红黄绿灯), counted on the task’s calendar', () => {
  // Monday 13 October 09:00 → Monday 20 October 09:00: 5 working days, a fifth of it is 7 h.
  const fiveDays = ticket('2025-10-13T09:00:00', '2025-10-20T09:00:00');

  it('turns yellow on the Friday with less than one working day left, though most of the week is still ahead', () => {
    // Thursday 17:00: 0.5 h + Friday 7 h + Monday 0.5 h = 8 h left.
    expect(lightOf(fiveDays, bj('2025-10-16T17:00:00'), cn)).toBe('green');
    // Friday 09:30: 2.5 h + 3.5 h + 0.5 h = 6.5 h left (71.5 of 168 hours on the clock).
    expect(lightOf(fiveDays, bj('2025-10-17T09:30:00'), cn)).toBe('yellow');
    expect(lightOf(fiveDays, bj('2025-10-19T22:00:00'), cn)).toBe('yellow');
  });

  it('stays green through a holiday while a working day and more remain', () => {
    // Monday 29 September 09:00 → Friday 10 October 09:00: 6.5 + 7 + 7 + 0.5 = 21 working hours; a fifth is 4.2 h.
    const overTheHoliday = ticket('2025-09-29T09:00:00', '2025-10-10T09:00:00');
    // The evening of 8 October: 37 of 264 hours on the clock, but 7.5 working hours of 21.
    expect(lightOf(overTheHoliday, bj('2025-10-08T20:00:00'), cn)).toBe('green');
    // 9 October 15:00: 2.5 + 0.5 = 3 h left.
    expect(lightOf(overTheHoliday, bj('2025-10-09T15:00:00'), cn)).toBe('yellow');
  });

  it('does not count the time a ticket was suspended as time it was given', () => {
    // Suspended for 2 working days, so due two working days later: Wednesday 22 October 09:00.
    const resumed = ticket('2025-10-13T09:00:00', '2025-10-22T09:00:00', { paused_working_ms: 2 * 7 * 3_600_000 });
    // Monday 20 October 17:00: 0.5 + 7 + 0.5 = 8 h left of the 35 h it was given.
    expect(lightOf(resumed, bj('2025-10-20T17:00:00'), cn)).toBe('green');
    expect(lightOf(resumed, bj('2025-10-21T10:00:00'), cn)).toBe('yellow');
  });

  it('counts a deadline that falls wholly outside working hours on the clock', () => {
    // Set at 20:00 for 21:00 the same evening: no working time in between.
    const tonight = ticket('2025-10-13T20:00:00', '2025-10-13T21:00:00');
    expect(lightOf(tonight, bj('2025-10-13T20:30:00'), cn)).toBe('green');
    expect(lightOf(tonight, bj('2025-10-13T20:50:00'), cn)).toBe('yellow');
  });

  it('is red when overdue or red-carded, yellow with a yellow card, and keeps a suspended ticket’s colour still', () => {
    expect(lightOf(fiveDays, bj('2025-10-20T09:00:01'), cn)).toBe('red');
    expect(lightOf({ ...fiveDays, card: 'red' }, bj('2025-10-13T10:00:00'), cn)).toBe('red');
    expect(lightOf({ ...fiveDays, card: 'yellow' }, bj('2025-10-13T10:00:00'), cn)).toBe('yellow');
    // Suspended (clock paused): neither overdue nor running out, whatever the date.
    expect(lightOf({ ...fiveDays, paused_since: bj('2025-10-14T09:00:00') }, bj('2025-10-24T09:00:00'), cn)).toBe('green');
    // Closed: done, green even after its due date.
    expect(lightOf({ ...fiveDays, closed_at: bj('2025-10-17T09:00:00') }, bj('2025-10-24T09:00:00'), cn)).toBe('green');
    // No deadline (长期推进): green until carded.
    expect(lightOf({ ...fiveDays, due_at: null }, bj('2026-10-24T09:00:00'), cn)).toBe('green');
  });
});

describe('the warning a task carries when its due date crossed a year without a schedule', () => {
  const years = [...new Set(fromChineseDays(data).map((d) => Number(d.date.slice(0, 4))))];
  const loaded = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data), years });

  it('names 2027 for a ticket created on 2026-12-28 and due on 2027-01-05, when 2027 is not loaded', () => {
    expect(calendarWarningOf(ticket('2026-12-28T10:00:00', '2027-01-05T10:00:00'), loaded)).toEqual({
      code: 'calendar-year-missing',
      missingYears: [2027],
      message: '期限跨越了工作日历尚无节假日安排的年份（2027年），其间节假日按工作日计算，期限可能不准确。',
    });
  });

  it('names a long stretch of missing years as a range', () => {
    expect(calendarWarningOf(ticket('2026-12-28T10:00:00', '2099-01-01T10:00:00'), loaded)?.message).toMatch(/（2027–2099年）/);
  });

  it('is absent inside loaded years, without a due date, and once the year is loaded', () => {
    expect(calendarWarningOf(ticket('2026-12-21T10:00:00', '2026-12-28T10:00:00'), loaded)).toBeNull();
    expect(calendarWarningOf({ created_at: bj('2026-12-28T10:00:00'), due_at: null }, loaded)).toBeNull();
    const with2027 = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data), years: [...years, 2027] });
    expect(calendarWarningOf(ticket('2026-12-28T10:00:00', '2027-01-05T10:00:00'), with2027)).toBeNull();
  });
});

/** An open plan item as the console shows it. */
const leadId = '00000000-0000-4000-8000-000000000001';
const coId = '00000000-0000-4000-8000-000000000002';
const userId = '00000000-0000-4000-8000-000000000003';
const names = {
  departments: new Map([
    [leadId, '市发展改革委'],
    [coId, '市财政局'],
  ]),
  users: new Map([[userId, '张三']]),
};
// Monday 13 October 2025 09:00, due Wednesday 15 October 17:30: 2 working days and a bit left.
const row = {
  ...ticket('2025-10-13T09:00:00', '2025-10-15T17:30:00'),
  id: '00000000-0000-4000-8000-0000000000aa',
  ref: 'DB-00000001',
  workflow_key: 'plan-item',
  workflow_version: 1,
  title: '推进政务数据共享',
  body: null,
  state: 'in-progress',
  state_entered_at: bj('2025-10-13T09:00:00'),
  parent_id: null,
  external_ref: null,
  priority: 'normal' as const,
  assignee_id: userId as string | null,
  escalation_level: 0,
  progress: 30,
  data: {},
  version: 3,
  created_by: null,
  primary_department_id: leadId,
  accepted_at: null,
  rated_at: null,
  audit_seq: 3,
  audit_hash: null,
  owners: [
    { departmentId: leadId, role: 'lead' as const },
    { departmentId: coId, role: 'co' as const },
  ],
  requested_due_at: null,
  co_opinions: [],
  supervising_department_ids: [] as string[],
  yellow_from: null as Date | null,
};

describe('the task as the console shows it: names, labels, actions and the time left', () => {
  const workflow = { definition: PLAN_ITEM, calendar: cn };
  const view = (at: string, changes: Partial<typeof row> = {}, allowed = ['report', 'submit', 'urge']) =>
    toTaskView({ ...row, ...changes }, allowed, bj(at), workflow, names, { parent: null, children: NO_CHILDREN });

  it('names the workflow, the state, the owners and the assignee, never by id or key alone', () => {
    const v = view('2025-10-13T09:00:00');
    expect(v).toMatchObject({ workflowName: PLAN_ITEM.name, state: 'in-progress', stateLabel: '推进中', assigneeName: '张三', timezone: 'Asia/Shanghai' });
    expect(v.owners).toEqual([
      { departmentId: leadId, role: 'lead', departmentName: '市发展改革委' },
      { departmentId: coId, role: 'co', departmentName: '市财政局' },
    ]);
    expect(view('2025-10-13T09:00:00', { assignee_id: null }).assigneeName).toBeNull();
  });

  it('labels each allowed action in order with the inputs its form asks for, built-in acts included', () => {
    expect(view('2025-10-13T09:00:00').actions).toEqual([
      { action: 'report', label: '进度填报', requires: ['progress'] },
      { action: 'submit', label: '申请办结', requires: ['comment'] },
      { action: 'urge', label: '催办', requires: ['comment'] },
    ]);
  });

  it('says how many working days are left, and how many it is overdue', () => {
    // Monday 17:30 → Wednesday 17:30: two whole working days.
    expect(view('2025-10-13T17:30:00').timeLeft).toEqual({ overdue: false, workingDays: 2, words: '剩余 2 个工作日' });
    // Due Friday 10 October 17:30; read on Wednesday 15 October 17:30: Saturday 11 October (a 调休 make-up
    // workday after National Day), Monday, Tuesday and Wednesday: 4 working days late.
    expect(view('2025-10-15T17:30:00', { due_at: bj('2025-10-10T17:30:00') }).timeLeft).toEqual({
      overdue: true,
      workingDays: 4,
      words: '已逾期 4 个工作日',
    });
  });

  it('shows no time left once closed, while paused, or without a due date', () => {
    expect(view('2025-10-14T09:00:00', { closed_at: bj('2025-10-14T08:00:00') }).timeLeft).toBeNull();
    expect(view('2025-10-14T09:00:00', { paused_since: bj('2025-10-14T08:00:00') }).timeLeft).toBeNull();
    expect(view('2025-10-14T09:00:00', { due_at: null }).timeLeft).toBeNull();
  });
});

describe('the stored yellow boundary (tasks.yellow_from) that lists filter on', () => {
  it('turns the light yellow exactly after it: the same light at every instant as counting the working time left', () => {
    const fiveDays = ticket('2025-10-13T09:00:00', '2025-10-20T09:00:00');
    const boundary = yellowFromOf(fiveDays, cn)!;
    // 35 working hours allowed, a fifth is 7 h: Friday 09:00 leaves 3 + 3.5 + 0.5 = 7 h, not less.
    expect(boundary).toEqual(bj('2025-10-17T09:00:00'));
    expect(lightAt({ ...fiveDays, yellow_from: boundary }, boundary)).toBe('green');
    expect(lightAt({ ...fiveDays, yellow_from: boundary }, new Date(boundary.getTime() + 1))).toBe('yellow');
    const left = (now: Date) => cn.workingTimeBetween(now, fiveDays.due_at!);
    for (let t = bj('2025-10-13T09:00:00').getTime(); t < bj('2025-10-20T09:00:00').getTime(); t += 17 * 60_000) {
      const now = new Date(t);
      expect([now.toISOString(), lightAt({ ...fiveDays, yellow_from: boundary }, now)]).toEqual([
        now.toISOString(),
        left(now) < (35 * 3_600_000) / 5 ? 'yellow' : 'green',
      ]);
    }
  });

  it('has none without a due date, and ignores it once the task is closed or paused', () => {
    expect(yellowFromOf({ created_at: bj('2025-10-13T09:00:00'), due_at: null, paused_working_ms: 0 }, cn)).toBeNull();
    const past = { ...ticket('2025-10-13T09:00:00', '2025-10-20T09:00:00'), yellow_from: bj('2025-10-17T09:00:00') };
    expect(lightAt({ ...past, closed_at: bj('2025-10-17T10:00:00') }, bj('2025-10-17T11:00:00'))).toBe('green');
    expect(lightAt({ ...past, paused_since: bj('2025-10-17T10:00:00') }, bj('2025-10-17T11:00:00'))).toBe('green');
  });
});
