import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { HolidayFileError } from './ics.js';
import { governingYearOf, planYearLoad, readYearDocument, type StoredDay, yearsAwaited } from './year-schedule.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/holidays/${name}`, import.meta.url), 'utf8');
const holidayCn2018 = JSON.parse(fixture('holiday-cn-2018.json')) as unknown;
const holidayCn2019 = JSON.parse(fixture('holiday-cn-2019.json')) as unknown;
const TZ = 'Asia/Shanghai';

const errorOf = (read: () => unknown): HolidayFileError => {
  try {
    read();
  } catch (err) {
    if (err instanceof HolidayFileError) return err;
    throw err;
  }
  throw new Error('the document was accepted');
};

/** The stored days after a load, as the service applies a plan. */
function apply(stored: StoredDay[], year: number, plan: ReturnType<typeof planYearLoad>): StoredDay[] {
  const removed = new Set(plan.removed.map((d) => d.date));
  const written = new Map(plan.write.map((d) => [d.date, { ...d, governingYear: year }]));
  const kept = stored.filter((s) => !removed.has(s.date) && !written.has(s.date));
  return [...kept, ...written.values()].sort((a, b) => a.date.localeCompare(b.date));
}
const load = (stored: StoredDay[], year: number, body: unknown) =>
  apply(stored, year, planYearLoad(year, stored, readYearDocument(year, { type: 'json', body }, TZ).days));

describe('reading a year’s schedule', () => {
  it('takes holiday-cn’s 2019 file as it is, the days of December 2018 it lists included', () => {
    const schedule = readYearDocument(2019, { type: 'json', body: holidayCn2019 }, TZ);
    expect(schedule.format).toBe('holiday-cn');
    expect(schedule.days).toHaveLength(37);
    expect(schedule.days.slice(0, 4)).toEqual([
      { date: '2018-12-29', kind: 'workday', note: '元旦补班' },
      { date: '2018-12-30', kind: 'holiday', note: '元旦' },
      { date: '2018-12-31', kind: 'holiday', note: '元旦' },
      { date: '2019-01-01', kind: 'holiday', note: '元旦' },
    ]);
  });

  it('refuses a holiday-cn file of another year, naming `year`', () => {
    expect(errorOf(() => readYearDocument(2018, { type: 'json', body: holidayCn2019 }, TZ))).toMatchObject({ path: 'year' });
  });

  it('names the entry of a holiday-cn file that is wrong, by its place in the file', () => {
    const bad = {
      year: 2019,
      papers: [],
      days: [
        { name: '元旦', date: '2019-01-01', isOffDay: true },
        { name: '春节', date: '2019-02-30', isOffDay: true },
      ],
    };
    expect(errorOf(() => readYearDocument(2019, { type: 'json', body: bad }, TZ))).toMatchObject({ path: 'days[1].date' });
    const outside = {
      year: 2019,
      papers: [],
      days: [
        { name: '元旦', date: '2019-01-01', isOffDay: true },
        { name: '国庆节', date: '2018-10-01', isOffDay: true },
      ],
    };
    expect(errorOf(() => readYearDocument(2019, { type: 'json', body: outside }, TZ))).toMatchObject({ path: 'days[1].date' });
    const twice = {
      year: 2019,
      days: [
        { name: '元旦', date: '2019-01-01', isOffDay: true },
        { name: '元旦', date: '2019-01-01', isOffDay: false },
      ],
    };
    expect(errorOf(() => readYearDocument(2019, { type: 'json', body: twice }, TZ))).toMatchObject({ path: 'days[1].date' });
    expect(errorOf(() => readYearDocument(2019, { type: 'json', body: { year: 2019, days: [{ name: '元旦', date: '2019-01-01' }] } }, TZ))).toMatchObject({
      path: 'days[0].isOffDay',
    });
  });

  it('takes a list of {date, kind, note?} inside the year and its December before, naming an entry outside', () => {
    const list = [
      { date: '2026-12-31', kind: 'holiday', note: '元旦' },
      { date: '2027-01-01', kind: 'holiday' },
    ];
    expect(readYearDocument(2027, { type: 'json', body: list }, TZ)).toEqual({ year: 2027, format: 'list', days: list });
    expect(errorOf(() => readYearDocument(2027, { type: 'json', body: [{ date: '2028-01-01', kind: 'holiday' }] }, TZ))).toMatchObject({ path: '[0].date' });
    expect(errorOf(() => readYearDocument(2027, { type: 'json', body: [{ date: '2027-01-01', kind: 'nap' }] }, TZ))).toMatchObject({ path: '[0].kind' });
    expect(errorOf(() => readYearDocument(2027, { type: 'json', body: { not: 'a list' } }, TZ))).toMatchObject({ path: '' });
  });

  it('refuses an .ics that has no day of the year asked for (a file for other years)', () => {
    const err = errorOf(() => readYearDocument(2027, { type: 'ics', text: fixture('cn-holidays.ics') }, TZ));
    expect(err.message).toBe('文件中没有 2027 年的放假或调休日期');
  });
});

describe('loading a year replaces only the days that year’s schedule governs', () => {
  it('loading holiday-cn 2018 after 2019 leaves 2018-12-29…31 as 2019 set them', () => {
    const after2019 = load([], 2019, holidayCn2019);
    const after2018 = load(after2019, 2018, holidayCn2018);
    expect(after2018.filter((d) => d.date >= '2018-12-29' && d.date <= '2018-12-31')).toEqual([
      { date: '2018-12-29', kind: 'workday', note: '元旦补班', governingYear: 2019 },
      { date: '2018-12-30', kind: 'holiday', note: '元旦', governingYear: 2019 },
      { date: '2018-12-31', kind: 'holiday', note: '元旦', governingYear: 2019 },
    ]);
    expect(after2018).toHaveLength(33 + 37);
    expect(load(load([], 2018, holidayCn2018), 2019, holidayCn2019)).toEqual(after2018);
  });

  it('answers what it adds, removes and changes, and touches no other year', () => {
    const before = load([], 2019, holidayCn2019);
    // 2019's file without its first day (2018-12-29), and 2018-12-30 worked instead of off.
    const edited = structuredClone(holidayCn2019) as { days: { date: string; isOffDay: boolean }[] };
    edited.days.shift();
    edited.days[0]!.isOffDay = false;
    const plan = planYearLoad(2019, before, readYearDocument(2019, { type: 'json', body: edited }, TZ).days);
    expect(plan.added).toEqual([]);
    expect(plan.removed).toEqual([{ date: '2018-12-29', kind: 'workday', note: '元旦补班' }]);
    expect(plan.changed).toEqual([{ date: '2018-12-30', kind: 'workday', note: '元旦补班', before: { kind: 'holiday', note: '元旦' } }]);
    expect(planYearLoad(2019, before, readYearDocument(2019, { type: 'json', body: holidayCn2019 }, TZ).days)).toMatchObject({
      added: [],
      removed: [],
      changed: [],
      kept: [],
    });
  });

  it('keeps a day a later year set, and overwrites one an earlier year or a hand set', () => {
    const stored: StoredDay[] = [
      { date: '2018-12-31', kind: 'holiday', note: '元旦', governingYear: 2019 },
      { date: '2018-10-08', kind: 'holiday', note: '临时休息', governingYear: 2018 },
    ];
    const plan = planYearLoad(2018, stored, [
      { date: '2018-12-31', kind: 'workday' },
      { date: '2018-10-08', kind: 'workday', note: '国庆节补班' },
    ]);
    expect(plan.kept).toEqual([{ date: '2018-12-31', kind: 'holiday', note: '元旦', governingYear: 2019 }]);
    expect(plan.write).toEqual([{ date: '2018-10-08', kind: 'workday', note: '国庆节补班' }]);
  });

  it('counts a December 元旦 day as set by the next year’s schedule, every other day by its own year’s', () => {
    expect(governingYearOf('2018-12-29', '元旦补班')).toBe(2019);
    expect(governingYearOf('2018-12-31', '元旦')).toBe(2019);
    expect(governingYearOf('2018-10-01', '国庆节')).toBe(2018);
    expect(governingYearOf('2018-12-31', null)).toBe(2018);
  });
});

describe('the years whose schedule the admins are told is missing', () => {
  const years = [2024, 2025, 2026];

  it('none before 1 November, Beijing time; next year from then on', () => {
    expect(yearsAwaited(years, TZ, new Date('2026-10-31T23:59:59+08:00'))).toEqual([]);
    expect(yearsAwaited(years, TZ, new Date('2026-10-31T16:00:00Z'))).toEqual([2027]);
    expect(yearsAwaited(years, TZ, new Date('2026-12-31T23:59:59+08:00'))).toEqual([2027]);
  });

  it('still the year itself when it began without its schedule; none once it is loaded', () => {
    expect(yearsAwaited(years, TZ, new Date('2027-03-01T09:00:00+08:00'))).toEqual([2027]);
    expect(yearsAwaited([...years, 2027], TZ, new Date('2027-03-01T09:00:00+08:00'))).toEqual([]);
    expect(yearsAwaited([...years, 2027], TZ, new Date('2026-11-02T09:00:00+08:00'))).toEqual([]);
  });

  it('not a year after one that is missing too, and nothing for a calendar that keeps no schedule', () => {
    expect(yearsAwaited([2024, 2025], TZ, new Date('2026-11-05T09:00:00+08:00'))).toEqual([2026]);
    expect(yearsAwaited([], TZ, new Date('2026-11-05T09:00:00+08:00'))).toEqual([]);
  });
});
