import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dateOfDay, dayNumber, type DayKind } from './calendar.js';
import { parseHolidayCn } from './holiday-cn.js';
import { HolidayFileError, type ImportedDay, parseIcsDays } from './ics.js';
import { planYearLoad, readYearDocument, type StoredDay } from './year-schedule.js';

const RUNS = 300;
const TZ = 'Asia/Shanghai';
const NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'];

/** A holiday-cn document of `year`: distinct dates of its window (the December before included), in any order. */
const holidayCnDoc = (year: number) =>
  fc
    .uniqueArray(
      fc.record({
        day: fc.integer({ min: dayNumber(`${year - 1}-12-01`), max: dayNumber(`${year}-12-31`) }),
        name: fc.constantFrom(...NAMES),
        isOffDay: fc.boolean(),
      }),
      { selector: (d) => d.day, maxLength: 60 },
    )
    .map((days) => ({
      $schema: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json',
      year,
      papers: ['http://www.gov.cn/zhengce/content/example.htm'],
      days: days.map((d) => ({ name: d.name, date: dateOfDay(d.day), isOffDay: d.isOffDay })),
    }));

/** RFC 5545 §3.1 folding: lines longer than 75 octets continue on lines that begin with a space, never inside a character. */
function fold(line: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of line) {
    if (Buffer.byteLength(current + ch) > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  return [...out, current].map((part, i) => (i === 0 ? part : ` ${part}`));
}

interface GeneratedEvent {
  gap: number;
  length: number;
  kind: DayKind;
  form: 'dtend' | 'duration' | 'none';
  alarm: boolean;
}

// Descriptions and alarms say the opposite of what the event is: they must never count.
const SUMMARIES: Record<DayKind, string[]> = { holiday: ['春节 假期', '劳动节(休)', '国庆节', '元旦 假期'], workday: ['春节 补班', '调休上班', '国庆节(班)'] };
const DESCRIPTIONS: Record<DayKind, string> = {
  holiday: '2025年劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。请各单位妥善安排值班和安全、保卫等工作。',
  workday: '调休：本日上班。放假期间请注意安全，节日前后放假安排以国务院办公厅通知为准。',
};

const generatedEvents = fc.array(
  fc.record({ gap: fc.integer({ min: 0, max: 10 }), length: fc.integer({ min: 1, max: 9 }), kind: fc.constantFrom<DayKind>('holiday', 'workday') }).chain((e) =>
    fc.record({
      gap: fc.constant(e.gap),
      length: fc.constant(e.length),
      kind: fc.constant(e.kind),
      form: fc.constantFrom<GeneratedEvent['form']>(...(e.length === 1 ? (['dtend', 'duration', 'none'] as const) : (['dtend', 'duration'] as const))),
      alarm: fc.boolean(),
    }),
  ),
  { maxLength: 12 },
);

const icsDate = (day: number) => dateOfDay(day).replaceAll('-', '');

/** The events laid one after another from 2025-01-01, as an .ics text, and the day each covers. */
function build(events: GeneratedEvent[], summaryIndex: number): { text: string; expected: ImportedDay[] } {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//property//CN'];
  const expected: ImportedDay[] = [];
  let cursor = dayNumber('2025-01-01');
  events.forEach((e, i) => {
    const start = cursor + e.gap;
    cursor = start + e.length;
    const summary = SUMMARIES[e.kind][(summaryIndex + i) % SUMMARIES[e.kind].length]!;
    lines.push('BEGIN:VEVENT', `UID:${i}@property`, `DTSTART;VALUE=DATE:${icsDate(start)}`);
    if (e.form === 'dtend') lines.push(`DTEND;VALUE=DATE:${icsDate(start + e.length)}`);
    if (e.form === 'duration') lines.push(e.length === 7 ? 'DURATION:P1W' : `DURATION:P${e.length}D`);
    lines.push(`SUMMARY:${summary}`, `DESCRIPTION:${DESCRIPTIONS[e.kind]}`);
    const opposite = DESCRIPTIONS[e.kind === 'holiday' ? 'workday' : 'holiday'];
    if (e.alarm) lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${opposite}`, 'TRIGGER:-PT15H', 'END:VALARM');
    lines.push('END:VEVENT');
    for (let d = start; d < start + e.length; d++) expected.push({ date: dateOfDay(d), kind: e.kind, note: summary });
  });
  lines.push('END:VCALENDAR');
  return { text: lines.flatMap(fold).join('\r\n') + '\r\n', expected };
}

describe('holiday-cn properties (fast-check)', () => {
  it('any holiday-cn document round-trips to the same days, whatever the order of its entries', () => {
    fc.assert(
      fc.property(holidayCnDoc(2019), (doc) => {
        const { year, days } = parseHolidayCn(doc);
        expect(year).toBe(2019);
        expect(days.map((d) => d.date)).toEqual(doc.days.map((d) => d.date).sort());
        const back = { ...doc, days: days.map((d) => ({ name: d.note!.replace(/补班$/, ''), date: d.date, isOffDay: d.kind === 'holiday' })).reverse() };
        expect(parseHolidayCn(back).days).toEqual(days);
        expect(readYearDocument(2019, { type: 'json', body: doc }, TZ).days).toEqual(days);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('.ics properties (fast-check)', () => {
  it('each all-day event covers exactly its N days (DTEND exclusive, DURATION, or one day), of the kind its summary says', () => {
    fc.assert(
      fc.property(generatedEvents, fc.nat(), (events, summaryIndex) => {
        const { text, expected } = build(events, summaryIndex);
        expect(parseIcsDays(text, { timezone: TZ })).toEqual(expected);
        expect(expected).toHaveLength(events.reduce((n, e) => n + e.length, 0));
      }),
      { numRuns: RUNS },
    );
  });

  it('a DTSTART that is no date is refused with the line it is on, folded lines before it or not', () => {
    fc.assert(
      fc.property(
        generatedEvents.filter((e) => e.length > 0),
        fc.nat(),
        fc.nat(),
        (events, summaryIndex, pick) => {
          const { text } = build(events, summaryIndex);
          const lines = text.split('\r\n');
          const starts = lines.flatMap((l, i) => (l.startsWith('DTSTART') ? [i] : []));
          const bad = starts[pick % starts.length]!;
          lines[bad] = 'DTSTART;VALUE=DATE:20251301';
          let error: unknown;
          try {
            parseIcsDays(lines.join('\r\n'));
          } catch (err) {
            error = err;
          }
          expect(error).toBeInstanceOf(HolidayFileError);
          expect((error as HolidayFileError).line).toBe(bad + 1);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a damaged file gives days or a HolidayFileError naming a line, never another error (a 500)', () => {
    const junk = fc.constantFrom(
      'GARBAGE',
      'DTSTART;VALUE=DATE:2025x',
      'DTEND:;;',
      'DURATION:PXD',
      'RRULE:FREQ=NEVER',
      'END:VEVENT',
      'BEGIN:VALARM',
      'RDATE:',
      ' folded',
      ':',
    );
    const damage = fc.oneof(
      fc.record({ at: fc.nat(), kind: fc.constant('delete' as const) }),
      fc.record({ at: fc.nat(), kind: fc.constant('insert' as const), line: junk }),
      fc.record({ at: fc.nat(), kind: fc.constant('truncate' as const) }),
    );
    fc.assert(
      fc.property(generatedEvents, fc.nat(), fc.array(damage, { minLength: 1, maxLength: 3 }), (events, summaryIndex, damages) => {
        const lines = build(events, summaryIndex).text.split('\r\n');
        for (const d of damages) {
          const at = d.at % lines.length;
          if (d.kind === 'delete') lines.splice(at, 1);
          else if (d.kind === 'insert') lines.splice(at, 0, d.line);
          else lines[at] = lines[at]!.slice(0, Math.floor(lines[at]!.length / 2));
        }
        try {
          parseIcsDays(lines.join('\r\n'), { from: '2024-12-01', to: '2025-12-31', timezone: TZ });
        } catch (err) {
          expect(err).toBeInstanceOf(HolidayFileError);
          expect((err as HolidayFileError).line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('year load properties (fast-check)', () => {
  it('loading two years’ schedules in either order leaves the same days; loading one again changes nothing', () => {
    const apply = (stored: StoredDay[], year: number, doc: unknown) => {
      const plan = planYearLoad(year, stored, readYearDocument(year, { type: 'json', body: doc }, TZ).days);
      const written = new Map(plan.write.map((d) => [d.date, { ...d, governingYear: year }]));
      const removed = new Set(plan.removed.map((d) => d.date));
      return [...stored.filter((s) => !written.has(s.date) && !removed.has(s.date)), ...written.values()].sort((a, b) => a.date.localeCompare(b.date));
    };
    fc.assert(
      fc.property(holidayCnDoc(2018), holidayCnDoc(2019), (d2018, d2019) => {
        const both = apply(apply([], 2018, d2018), 2019, d2019);
        expect(apply(apply([], 2019, d2019), 2018, d2018)).toEqual(both);
        expect(planYearLoad(2018, both, parseHolidayCn(d2018).days)).toMatchObject({ added: [], removed: [], changed: [] });
        // Every date 2019 lists is as 2019 says, December 2018 included.
        for (const d of parseHolidayCn(d2019).days) expect(both.find((s) => s.date === d.date)).toEqual({ ...d, governingYear: 2019 });
      }),
      { numRuns: RUNS },
    );
  });
});
