import { describe, expect, it } from '@jest/globals';
import { calendarGaps } from './coverage.js';

const TZ = 'Asia/Shanghai';
const YEARS = [2024, 2025, 2026];
const at = (iso: string) => new Date(iso);

describe('the gaps of a calendar at an instant', () => {
  it('none on 31 October, Beijing time, with no open task beyond the loaded years', () => {
    expect(calendarGaps(YEARS, TZ, at('2026-10-31T23:59:59+08:00'), [{ year: 2026, tasks: 12 }])).toEqual([]);
  });

  it('the coming year from 1 November in the calendar’s zone (still 31 October in UTC)', () => {
    expect(calendarGaps(YEARS, TZ, at('2026-10-31T16:00:00Z'), [])).toEqual([
      { code: 'year-awaited', year: 2027, message: expect.stringContaining('尚无下一年度（2027年）的节假日安排') },
    ]);
    // The same instant is still October in a calendar kept in UTC.
    expect(calendarGaps(YEARS, 'UTC', at('2026-10-31T16:00:00Z'), [])).toEqual([]);
  });

  it('a year open tasks fall due in, whatever the month, with their count', () => {
    const gaps = calendarGaps(YEARS, TZ, at('2026-06-01T09:00:00+08:00'), [
      { year: 2026, tasks: 3 },
      { year: 2028, tasks: 2 },
    ]);
    expect(gaps).toEqual([{ code: 'deadline-year-missing', year: 2028, openTasks: 2, message: expect.stringContaining('2 项未办结任务的期限在2028年') }]);
    expect(gaps[0]!.message).toContain('请导入2028年的节假日文件');
  });

  it('one gap a year, ascending: an awaited year open tasks fall due in says both', () => {
    const gaps = calendarGaps(YEARS, TZ, at('2026-11-30T10:00:00+08:00'), [
      { year: 2029, tasks: 1 },
      { year: 2027, tasks: 4 },
    ]);
    expect(gaps.map((g) => [g.code, g.year, g.openTasks])).toEqual([
      ['year-awaited', 2027, 4],
      ['deadline-year-missing', 2029, 1],
    ]);
    expect(gaps[0]!.message).toContain('已有 4 项未办结任务的期限在2027年');
  });

  it('the current year when it began without its schedule; nothing once loaded', () => {
    expect(calendarGaps(YEARS, TZ, at('2027-03-01T09:00:00+08:00'), [])).toEqual([
      { code: 'year-awaited', year: 2027, message: expect.stringContaining('尚无本年度（2027年）的节假日安排') },
    ]);
    expect(calendarGaps([...YEARS, 2027, 2028], TZ, at('2027-11-15T09:00:00+08:00'), [{ year: 2028, tasks: 5 }])).toEqual([]);
  });

  it('none for a calendar that keeps no schedule (weekends only, by design)', () => {
    expect(calendarGaps([], TZ, at('2026-11-30T10:00:00+08:00'), [{ year: 2027, tasks: 9 }])).toEqual([]);
  });
});
