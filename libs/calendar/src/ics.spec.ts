import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { type ChineseDaysData, fromChineseDays } from './chinese-days.js';
import { HolidayFileError, parseIcsDays } from './ics.js';

/** An iCalendar text of these lines inside one VCALENDAR, CRLF-terminated as RFC 5545 writes it. */
const ics = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//CN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
/** An all-day event. */
const event = (start: string, end: string | null, ...props: string[]) => [
  'BEGIN:VEVENT',
  `DTSTART;VALUE=DATE:${start}`,
  ...(end ? [`DTEND;VALUE=DATE:${end}`] : []),
  ...props,
  'END:VEVENT',
];
const summary = (days: { date: string; kind: string }[]) => days.map((d) => `${d.date} ${d.kind}`);
const errorOf = (text: string, options = {}): HolidayFileError => {
  try {
    parseIcsDays(text, options);
  } catch (err) {
    if (err instanceof HolidayFileError) return err;
    throw err;
  }
  throw new Error('the file was accepted');
};

describe('what an event marks: by what it is, never by its description', () => {
  it('SUMMARY:劳动节 假期 whose DESCRIPTION says 4月27日（周日）上班。 is a holiday', () => {
    const days = parseIcsDays(ics(...event('20250501', '20250502', 'SUMMARY:劳动节 假期', 'DESCRIPTION:4月27日（周日）上班。')));
    expect(days).toEqual([{ date: '2025-05-01', kind: 'holiday', note: '劳动节 假期' }]);
  });

  it('an alarm inside an event is not the event: its DESCRIPTION and SUMMARY change nothing', () => {
    const alarm = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'SUMMARY:上班', 'DESCRIPTION:明天补班，记得上班', 'TRIGGER:-PT15H', 'END:VALARM'];
    const days = parseIcsDays(ics(...event('20250501', '20250503', 'SUMMARY:劳动节', ...alarm)));
    expect(summary(days)).toEqual(['2025-05-01 holiday', '2025-05-02 holiday']);
    expect(days[0]!.note).toBe('劳动节');
  });

  it.each(['春节 补班', '调休上班', '国庆节 上班', '劳动节(班)', '劳动节（班）', '班', 'Spring Festival workday'])(
    'SUMMARY:%s is a make-up workday',
    (text) => {
      expect(summary(parseIcsDays(ics(...event('20250208', null, `SUMMARY:${text}`))))).toEqual(['2025-02-08 workday']);
    },
  );

  it.each(['春节 假期', '劳动节(休)', '休', '元旦', '元旦 假期（1月4日上班）', 'National Day holiday'])('SUMMARY:%s is a day off', (text) => {
    expect(summary(parseIcsDays(ics(...event('20250101', null, `SUMMARY:${text}`))))).toEqual(['2025-01-01 holiday']);
  });

  it('a category or Apple’s X-APPLE-SPECIAL-DAY says it too, before the summary', () => {
    const text = ics(
      ...event('20250427', null, 'SUMMARY:劳动节', 'CATEGORIES:节假日,补班'),
      ...event('20250208', null, 'SUMMARY:春节', 'X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY'),
      ...event('20250501', null, 'SUMMARY:劳动节 上班安排', 'X-APPLE-SPECIAL-DAY:WORK-HOLIDAY'),
    );
    expect(summary(parseIcsDays(text))).toEqual(['2025-02-08 workday', '2025-04-27 workday', '2025-05-01 holiday']);
  });

  it('a day one event makes a workday stays one whatever other event covers it (an observance, a long holiday event)', () => {
    const text = ics(...event('20260214', null, 'SUMMARY:春节 补班'), ...event('20260214', null, 'SUMMARY:情人节'));
    expect(parseIcsDays(text)).toEqual([{ date: '2026-02-14', kind: 'workday', note: '春节 补班' }]);
  });

  it('a cancelled event marks nothing', () => {
    expect(parseIcsDays(ics(...event('20250501', null, 'SUMMARY:劳动节', 'STATUS:CANCELLED')))).toEqual([]);
  });
});

describe('the days an event covers', () => {
  it('a multi-day all-day event covers every day from DTSTART to DTEND, DTEND excluded', () => {
    const days = parseIcsDays(ics(...event('20250128', '20250205', 'SUMMARY:春节 假期')));
    expect(days.map((d) => d.date)).toEqual(['01-28', '01-29', '01-30', '01-31', '02-01', '02-02', '02-03', '02-04'].map((d) => `2025-${d}`));
  });

  it('DURATION:P3D covers three days; an all-day event with neither DTEND nor DURATION one', () => {
    expect(parseIcsDays(ics(...event('20250404', null, 'DURATION:P3D', 'SUMMARY:清明节'))).map((d) => d.date)).toEqual([
      '2025-04-04',
      '2025-04-05',
      '2025-04-06',
    ]);
    expect(parseIcsDays(ics(...event('20250404', null, 'SUMMARY:清明节'))).map((d) => d.date)).toEqual(['2025-04-04']);
  });

  it('DTEND equal to DTSTART, as some exporters write a one-day event, is that day', () => {
    expect(parseIcsDays(ics(...event('20250101', '20250101', 'SUMMARY:元旦'))).map((d) => d.date)).toEqual(['2025-01-01']);
  });

  it('a timed event covers the local days it touches; one ending at midnight not the next; UTC times are read in the zone given', () => {
    const local = ['BEGIN:VEVENT', 'DTSTART;TZID=Asia/Shanghai:20250601T000000', 'DTEND;TZID=Asia/Shanghai:20250603T000000', 'SUMMARY:端午节', 'END:VEVENT'];
    expect(parseIcsDays(ics(...local)).map((d) => d.date)).toEqual(['2025-06-01', '2025-06-02']);
    const utc = ['BEGIN:VEVENT', 'DTSTART:20250531T160000Z', 'DTEND:20250602T160000Z', 'SUMMARY:端午节', 'END:VEVENT'];
    expect(parseIcsDays(ics(...utc), { timezone: 'Asia/Shanghai' }).map((d) => d.date)).toEqual(['2025-06-01', '2025-06-02']);
  });

  it('keeps only the days between from and to: a file of many years is read for one', () => {
    const text = ics(...event('20241230', '20250102', 'SUMMARY:元旦'), ...event('20251001', '20251003', 'SUMMARY:国庆节'));
    expect(parseIcsDays(text, { from: '2024-12-31', to: '2025-10-01' }).map((d) => d.date)).toEqual(['2024-12-31', '2025-01-01', '2025-10-01']);
  });

  it('expands a repeating event within the window, leaving out EXDATE and taking an override (RECURRENCE-ID) as it says', () => {
    const text = ics(
      ...event('20250301', null, 'UID:weekly', 'RRULE:FREQ=WEEKLY', 'EXDATE;VALUE=DATE:20250308', 'SUMMARY:内部休息日'),
      'BEGIN:VEVENT',
      'UID:weekly',
      'RECURRENCE-ID;VALUE=DATE:20250315',
      'DTSTART;VALUE=DATE:20250315',
      'SUMMARY:补班',
      'END:VEVENT',
    );
    expect(summary(parseIcsDays(text, { from: '2025-03-01', to: '2025-03-31' }))).toEqual([
      '2025-03-01 holiday',
      '2025-03-15 workday',
      '2025-03-22 holiday',
      '2025-03-29 holiday',
    ]);
  });

  it('refuses a repeating event without an end when no window bounds it, naming the RRULE line', () => {
    const err = errorOf(ics(...event('20250101', null, 'RRULE:FREQ=YEARLY', 'SUMMARY:元旦')));
    expect(err).toMatchObject({ path: 'line 6', line: 6 });
    expect(err.message).toMatch(/RRULE/);
  });
});

describe('a file that cannot be read is refused, naming its line', () => {
  it('a DTSTART that is no date (20251340): ical.js would read 2026-02-09', () => {
    const err = errorOf(ics(...event('20251340', null, 'SUMMARY:元旦')));
    expect(err).toMatchObject({ path: 'line 5', line: 5 });
    expect(err.message).toBe('第 5 行：DTSTART 不是有效的日期（2025-13-40）');
  });

  it('an event without DTSTART: the line of its BEGIN:VEVENT', () => {
    expect(errorOf(ics('BEGIN:VEVENT', 'SUMMARY:x', 'END:VEVENT')).line).toBe(4);
  });

  it('a line ical.js cannot parse, counted in physical lines after a folded one', () => {
    const text = ics(...event('20250101', null, 'DESCRIPTION:很长的说明', ' 折行继续', 'SUMMARY:元旦'), 'GARBAGE');
    expect(errorOf(text)).toMatchObject({ line: 10 });
  });

  it('a component begun and never ended: the line of its BEGIN', () => {
    expect(errorOf(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20250101', 'END:VCALENDAR'].join('\n')).line).toBe(2);
  });

  it('text that is no iCalendar at all, or an empty body: line 1', () => {
    expect(errorOf('not a calendar').line).toBe(1);
    expect(errorOf('').line).toBe(1);
  });

  it('an end before the start, or an event of more than 60 days', () => {
    expect(errorOf(ics(...event('20250105', '20250101', 'SUMMARY:x'))).line).toBe(6);
    expect(errorOf(ics(...event('20250101', '20250401', 'SUMMARY:x'))).message).toMatch(/90 天/);
  });
});

describe('a widely shared multi-year holiday calendar (test/fixtures/holidays/cn-holidays.ics)', () => {
  const text = readFileSync(new URL('../../../test/fixtures/holidays/cn-holidays.ics', import.meta.url), 'utf8');
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;

  it('read for 2025 gives the State Council’s 2025 days off and make-up workdays, whatever its descriptions and alarms say', () => {
    const days = parseIcsDays(text, { from: '2024-12-01', to: '2025-12-31', timezone: 'Asia/Shanghai' });
    const published = fromChineseDays(data).filter((d) => d.date.startsWith('2025-'));
    expect(summary(days)).toEqual(summary(published));
    expect(days.find((d) => d.date === '2025-05-01')).toEqual({ date: '2025-05-01', kind: 'holiday', note: '劳动节 假期' });
    expect(days.find((d) => d.date === '2025-04-27')).toEqual({ date: '2025-04-27', kind: 'workday', note: '劳动节' });
  });
});
