import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BusinessCalendar } from './calendar.js';
import { type ChineseDaysData, fromChineseDays } from './chinese-days.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });
const berlin = new BusinessCalendar({ timezone: 'Europe/Berlin', workingHours: [{ start: '09:00', end: '17:00' }] });

const RUNS = 500;
const HOUR = 3_600_000;

/** Any instant from 2024 to 2027, to the second: every holiday cn knows lies in between. */
const instant = fc.integer({ min: Date.UTC(2024, 0, 1) / 1000, max: Date.UTC(2027, 11, 31) / 1000 }).map((s) => new Date(s * 1000));
const days = fc.integer({ min: 0, max: 60 });
const hours = fc.integer({ min: 0, max: 400 });

const berlinClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

describe('calendar properties (fast-check)', () => {
  it('working days add up: add(add(t, a), b) = add(t, a + b)', () => {
    fc.assert(
      fc.property(instant, days, days, (t, a, b) => {
        expect(cn.add(cn.add(t, `${a}wd`), `${b}wd`).getTime()).toBe(cn.add(t, `${a + b}wd`).getTime());
      }),
      { numRuns: RUNS },
    );
  });

  it('working hours add up: add(add(t, a), b) = add(t, a + b)', () => {
    fc.assert(
      fc.property(instant, hours, hours, (t, a, b) => {
        expect(cn.add(cn.add(t, `${a}wh`), `${b}wh`).getTime()).toBe(cn.add(t, `${a + b}wh`).getTime());
      }),
      { numRuns: RUNS },
    );
  });

  it('N working hours later is N hours of working time later', () => {
    fc.assert(
      fc.property(instant, hours, (t, n) => {
        expect(cn.workingTimeBetween(t, cn.add(t, `${n}wh`))).toBe(n * HOUR);
      }),
      { numRuns: RUNS },
    );
  });

  it('is monotonic in N, for working days and working hours', () => {
    fc.assert(
      fc.property(instant, days, days, hours, hours, (t, d1, d2, h1, h2) => {
        const [dLo, dHi] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const [hLo, hHi] = h1 <= h2 ? [h1, h2] : [h2, h1];
        expect(cn.add(t, `${dLo}wd`).getTime()).toBeLessThanOrEqual(cn.add(t, `${dHi}wd`).getTime());
        expect(cn.add(t, `${hLo}wh`).getTime()).toBeLessThanOrEqual(cn.add(t, `${hHi}wh`).getTime());
      }),
      { numRuns: RUNS },
    );
  });

  it('answers working units with working instants', () => {
    fc.assert(
      fc.property(instant, days, hours, (t, d, h) => {
        expect(cn.isWorkingInstant(cn.add(t, `${d}wd`))).toBe(true);
        expect(cn.isWorkingInstant(cn.add(t, `${h}wh`))).toBe(true);
        expect(cn.isWorkingInstant(cn.nextWorkingInstant(t))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('subtracting N working days undoes adding them', () => {
    fc.assert(
      fc.property(instant, days, (t, n) => {
        expect(cn.subtract(cn.add(t, `${n}wd`), `${n}wd`).getTime()).toBe(cn.nextWorkingInstant(t).getTime());
      }),
      { numRuns: RUNS },
    );
  });
});

describe('deadlines at the end of a working day (fast-check)', () => {
  const localDate = (t: Date) => cn.localDate(t);
  const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

  it('Nwde is the end of the N-th working day after the instant’s day; subtracting it again from a working day comes back', () => {
    fc.assert(
      fc.property(instant, days, (t, n) => {
        const end = cn.add(t, `${n}wde`);
        expect(cn.isEndOfDay(end)).toBe(true);
        expect(cn.localDate(new Date(end.getTime() + 1)) > localDate(end)).toBe(true);
        let worked = 0;
        for (let d = nextDate(localDate(t)); d <= localDate(end); d = nextDate(d)) if (cn.isWorkingDay(d)) worked++;
        expect(worked).toBe(n);
        if (n > 0) expect(cn.isWorkingDay(localDate(end))).toBe(true);
        if (n > 0 && cn.isWorkingDay(localDate(t))) expect(cn.subtract(end, `${n}wde`).getTime()).toBe(cn.add(t, '0wde').getTime());
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the Europe/Berlin calendar across daylight-saving changes', () => {
  it('keeps the local clock time across DST changes (Europe/Berlin)', () => {
    fc.assert(
      fc.property(instant, days, (t, n) => {
        const start = berlin.nextWorkingInstant(t);
        const end = berlin.add(t, `${n}wd`);
        expect(berlinClock.format(end)).toBe(berlinClock.format(start));
        expect(berlin.isWorkingInstant(end)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('counts eight working hours on the days the clocks change in Berlin', () => {
    for (const day of ['2025-03-31', '2025-10-27', '2026-03-30', '2026-10-26']) {
      const from = new Date(`${day}T00:00:00Z`);
      const to = new Date(from.getTime() + 24 * HOUR);
      expect(berlin.workingTimeBetween(from, to)).toBe(8 * HOUR);
    }
    // The Sunday of the change is no working day; the Friday before to the Monday after is.
    expect(berlin.workingTimeBetween(new Date('2025-03-28T00:00:00Z'), new Date('2025-04-01T00:00:00Z'))).toBe(16 * HOUR);
  });
});
