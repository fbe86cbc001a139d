import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, CalendarError } from './calendar.js';
import { type ChineseDaysData, fromChineseDays } from './chinese-days.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });

/** An instant from Beijing wall-clock time. */
const bj = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();

describe('the cn calendar, 2025 and 2026 as the State Council published them', () => {
  // One line per holiday; Prettier would put each date on a line of its own.
  // prettier-ignore
  const offDays2025 = [
    '2025-01-01',
    ...['01-28', '01-29', '01-30', '01-31', '02-01', '02-02', '02-03', '02-04'].map((d) => `2025-${d}`),
    '2025-04-04', '2025-04-05', '2025-04-06',
    '2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05',
    '2025-05-31', '2025-06-01', '2025-06-02',
    ...['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => `2025-10-${d}`),
  ];
  const makeUp2025 = ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'];
  // prettier-ignore
  const offDays2026 = [
    '2026-01-01', '2026-01-02', '2026-01-03',
    ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => `2026-02-${d}`),
    '2026-04-04', '2026-04-05', '2026-04-06',
    '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
    '2026-06-19', '2026-06-20', '2026-06-21',
    '2026-09-25', '2026-09-26', '2026-09-27',
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2026-10-${d}`),
  ];
  const makeUp2026 = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];

  it.each(offDays2025.concat(offDays2026))('%s is a day off', (date) => {
    expect(cn.isWorkingDay(date)).toBe(false);
  });

  it.each(makeUp2025.concat(makeUp2026))('%s is a make-up workday (调休) although a weekend', (date) => {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    expect([0, 6]).toContain(weekday);
    expect(cn.isWorkingDay(date)).toBe(true);
  });

  it('works ordinary weekdays and rests ordinary weekends', () => {
    expect(cn.isWorkingDay('2025-09-30')).toBe(true);
    expect(cn.isWorkingDay('2025-10-12')).toBe(false);
    expect(cn.isWorkingDay('2026-03-02')).toBe(true);
  });

  it('counts 3wd over National Day to the make-up Saturday (API example)', () => {
    expect(iso(cn.add(bj('2025-09-30T10:00:00'), '3wd'))).toBe(iso(bj('2025-10-11T10:00:00')));
  });

  it('counts 1wd over New Year 2026 to the make-up Sunday', () => {
    expect(iso(cn.add(bj('2025-12-31T10:00:00'), '1wd'))).toBe(iso(bj('2026-01-04T10:00:00')));
  });
});

describe('working time on the cn calendar', () => {
  it('moves a start outside working hours to the next period before counting working days', () => {
    // 18:30 → Oct 9 08:30 (holiday week skipped), then one working day on.
    expect(iso(cn.add(bj('2025-09-30T18:30:00'), '1wd'))).toBe(iso(bj('2025-10-10T08:30:00')));
    expect(iso(cn.add(bj('2025-09-30T12:30:00'), '1wd'))).toBe(iso(bj('2025-10-09T14:00:00')));
  });

  it('counts working hours only inside working periods, across lunch, nights and holidays', () => {
    expect(iso(cn.add(bj('2025-09-30T11:00:00'), '2wh'))).toBe(iso(bj('2025-09-30T15:00:00')));
    expect(iso(cn.add(bj('2025-09-30T17:00:00'), '2wh'))).toBe(iso(bj('2025-10-09T10:00:00')));
    expect(iso(cn.add(bj('2025-09-27T09:00:00'), '1wh'))).toBe(iso(bj('2025-09-28T09:30:00')));
  });

  it('lands on the next period start, a working instant, when working time ends exactly at a period end', () => {
    expect(iso(cn.add(bj('2025-09-30T08:30:00'), '3wh'))).toBe(iso(bj('2025-09-30T11:30:00')));
    expect(iso(cn.add(bj('2025-09-29T14:30:00'), '3wh'))).toBe(iso(bj('2025-09-30T08:30:00')));
  });

  it('measures working time and converts it to working days', () => {
    const week = cn.workingTimeBetween(bj('2025-09-29T00:00:00'), bj('2025-10-13T00:00:00'));
    // Sep 29, 30, Oct 9, 10, 11 (make-up Saturday): five days of seven hours.
    expect(week).toBe(5 * 7 * 3_600_000);
    expect(cn.toWorkingDays(week)).toBe(5);
    expect(cn.workingTimeBetween(bj('2025-10-13T00:00:00'), bj('2025-09-29T00:00:00'))).toBe(-week);
  });

  it('keeps natural durations natural', () => {
    expect(iso(cn.add(bj('2025-10-01T10:00:00'), '24h'))).toBe(iso(bj('2025-10-02T10:00:00')));
    expect(iso(cn.add(bj('2025-10-01T10:00:00'), '3d'))).toBe(iso(bj('2025-10-04T10:00:00')));
    expect(iso(cn.add(bj('2025-10-01T10:00:00'), '30m'))).toBe(iso(bj('2025-10-01T10:30:00')));
    expect(iso(cn.add(bj('2025-10-01T10:00:00'), '5s'))).toBe(iso(bj('2025-10-01T10:00:05')));
  });

  it('subtracts working days for reminders before a due date', () => {
    expect(iso(cn.subtract(bj('2025-10-11T10:00:00'), '1wd'))).toBe(iso(bj('2025-10-10T10:00:00')));
    expect(iso(cn.subtract(bj('2025-10-09T10:00:00'), '1wd'))).toBe(iso(bj('2025-09-30T10:00:00')));
    // 1.5 h on the morning of Oct 9, the other half hour at the end of Sep 30.
    expect(iso(cn.subtract(bj('2025-10-09T10:00:00'), '2wh'))).toBe(iso(bj('2025-09-30T17:00:00')));
  });

  it('tells the next working instant', () => {
    expect(iso(cn.nextWorkingInstant(bj('2025-10-01T09:00:00')))).toBe(iso(bj('2025-10-09T08:30:00')));
    expect(iso(cn.nextWorkingInstant(bj('2025-10-09T09:00:00')))).toBe(iso(bj('2025-10-09T09:00:00')));
    expect(iso(cn.nextWorkingInstant(bj('2025-10-09T12:00:00')))).toBe(iso(bj('2025-10-09T14:00:00')));
  });

  it('answers far past and future dates by growing its index', () => {
    expect(iso(cn.add(bj('2090-06-01T09:00:00'), '1wd'))).toBe(iso(bj('2090-06-02T09:00:00')));
    expect(cn.isWorkingDay('1995-05-02')).toBe(true);
    expect(iso(cn.add(bj('2025-09-30T10:00:00'), '3wd'))).toBe(iso(bj('2025-10-11T10:00:00')));
  });
});

describe('years without a schedule', () => {
  const years = [...new Set(fromChineseDays(data).map((d) => Number(d.date.slice(0, 4))))];
  const loaded = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data), years });

  it('+1wd from 2026-12-31 when 2027 is not loaded answers 2027-01-01, and says 2027 is missing', () => {
    const { result, missingYears } = loaded.addChecked(bj('2026-12-31T10:00:00'), '1wd');
    expect(iso(result)).toBe(iso(bj('2027-01-01T10:00:00')));
    expect(missingYears).toEqual([2027]);
  });

  it('is certain inside loaded years, and once the year is loaded', () => {
    expect(loaded.addChecked(bj('2025-12-31T10:00:00'), '1wd')).toEqual({ result: bj('2026-01-04T10:00:00'), missingYears: [] });
    const with2027 = new BusinessCalendar({ days: [...fromChineseDays(data), { date: '2027-01-01', kind: 'holiday' }], years: [...years, 2027] });
    expect(with2027.addChecked(bj('2026-12-31T10:00:00'), '1wd')).toEqual({ result: bj('2027-01-04T10:00:00'), missingYears: [] });
  });

  it('names every missing year crossed, in either direction, and none for natural durations', () => {
    expect(loaded.addChecked(bj('2026-12-31T10:00:00'), '300wd').missingYears).toEqual([2027, 2028]);
    expect(loaded.missingYears(bj('2028-01-05T10:00:00'), bj('2026-06-01T10:00:00'))).toEqual([2027, 2028]);
    expect(loaded.addChecked(bj('2026-12-31T10:00:00'), '3d').missingYears).toEqual([]);
  });

  it('reads the year in the calendar’s zone: 2026-12-31T17:00Z is 2027 in Beijing', () => {
    expect(loaded.missingYears(new Date('2026-12-31T15:00:00Z'), new Date('2026-12-31T15:59:59Z'))).toEqual([]);
    expect(loaded.missingYears(new Date('2026-12-31T15:00:00Z'), new Date('2026-12-31T17:00:00Z'))).toEqual([2027]);
  });

  it('counts no year missing on a calendar that keeps no schedule', () => {
    expect(cn.years).toBeNull();
    expect(cn.addChecked(bj('2026-12-31T10:00:00'), '1wd').missingYears).toEqual([]);
  });
});

describe('deadlines at the end of a working day (Nwde), around 中秋 and 国庆 2026', () => {
  // 2026: 中秋 25–27 September (Fri–Sun) off, Sunday 20 September worked; 国庆 1–7 October off,
  // Saturday 10 October worked.
  it('13wd ends a whole working day early; 13wde ends at the end of the 13th working day counted from the next day', () => {
    // From Wed 30 Sep 08:30: Oct 8 (1), 9, 10 (make-up), 12, 13, 14, 15, 16, 19, 20, 21, 22, 23 (13).
    const from = bj('2026-09-30T08:30:00');
    expect(iso(cn.add(from, '13wd'))).toBe(iso(bj('2026-10-23T08:30:00')));
    expect(iso(cn.add(from, '13wde'))).toBe(iso(bj('2026-10-23T23:59:59.999')));
    expect(cn.workingTimeBetween(cn.add(from, '13wd'), cn.add(from, '13wde'))).toBe(cn.dayLengthMs);
  });

  it('counts from the day after, whatever the hour, skipping holidays and working make-up days', () => {
    // Friday 18 Sep, late: day 1 is the make-up Sunday 20 Sep.
    expect(iso(cn.add(bj('2026-09-18T22:00:00'), '1wde'))).toBe(iso(bj('2026-09-20T23:59:59.999')));
    // Thursday 24 Sep: 中秋 25–27 off, Mon 28 (1), Tue 29 (2).
    expect(iso(cn.add(bj('2026-09-24T16:00:00'), '2wde'))).toBe(iso(bj('2026-09-29T23:59:59.999')));
    // From inside the holiday: the first working day after it is day 1.
    expect(iso(cn.add(bj('2026-10-03T11:00:00'), '1wde'))).toBe(iso(bj('2026-10-08T23:59:59.999')));
    expect(iso(cn.add(bj('2026-09-30T09:00:00'), '3wde'))).toBe(iso(bj('2026-10-10T23:59:59.999')));
    expect(iso(cn.add(bj('2026-09-30T09:00:00'), '0wde'))).toBe(iso(bj('2026-09-30T23:59:59.999')));
  });

  it('subtracts to the end of the N-th working day before', () => {
    expect(iso(cn.subtract(bj('2026-10-08T23:59:59.999'), '1wde'))).toBe(iso(bj('2026-09-30T23:59:59.999')));
    expect(iso(cn.subtract(bj('2026-09-21T10:00:00'), '2wde'))).toBe(iso(bj('2026-09-18T23:59:59.999')));
  });

  it('tells an end-of-day instant: from 23:59:59 on, and midnight', () => {
    expect(cn.isEndOfDay(bj('2026-09-30T23:59:59'))).toBe(true);
    expect(cn.isEndOfDay(bj('2026-09-30T23:59:59.999'))).toBe(true);
    expect(cn.isEndOfDay(bj('2026-10-01T00:00:00'))).toBe(true);
    expect(cn.isEndOfDay(bj('2026-09-30T23:59:58.999'))).toBe(false);
    expect(cn.isEndOfDay(bj('2026-09-30T17:30:00'))).toBe(false);
  });

  it('tells the end of the last working period before an instant off work', () => {
    expect(iso(cn.workingEndBefore(bj('2026-10-03T10:00:00')))).toBe(iso(bj('2026-09-30T17:30:00')));
    expect(iso(cn.workingEndBefore(bj('2026-10-10T12:30:00')))).toBe(iso(bj('2026-10-10T12:00:00')));
    expect(iso(cn.workingEndBefore(bj('2026-10-10T10:00:00')))).toBe(iso(bj('2026-10-10T10:00:00')));
  });
});

describe('calendar configuration', () => {
  it('refuses unknown zones, bad hours and impossible dates', () => {
    expect(() => new BusinessCalendar({ timezone: 'Mars/Olympus' })).toThrow(/not an IANA time zone/);
    expect(() => new BusinessCalendar({ workingHours: [{ start: '12:00', end: '09:00' }] })).toThrow(CalendarError);
    expect(() => new BusinessCalendar({ days: [{ date: '2025-02-30', kind: 'holiday' }] })).toThrow(/not a calendar date/);
    expect(() => cn.add(new Date(), '5 days')).toThrow(/not a duration/);
  });

  it('honours its own working hours', () => {
    const night = new BusinessCalendar({ workingHours: [{ start: '20:00', end: '24:00' }] });
    expect(iso(night.add(bj('2025-09-30T21:00:00'), '4wh'))).toBe(iso(bj('2025-10-01T21:00:00')));
  });
});
