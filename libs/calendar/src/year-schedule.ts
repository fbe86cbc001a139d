import type { DayKind } from './calendar.js';
import { checkDate, type HolidayCnDocument, isHolidayCnDocument, parseHolidayCn } from './holiday-cn.js';
import { HolidayFileError, type ImportedDay, parseIcsDays } from './ics.js';
import { localParts } from './zone.js';

/** A year's schedule as sent: iCalendar text, or a JSON body (a list of days or a holiday-cn document). */
export type YearDocument = { type: 'ics'; text: string } | { type: 'json'; body: unknown };

export type YearDocumentFormat = 'list' | 'holiday-cn' | 'ics';

/** The days one year's schedule sets, read from its document. */
export interface YearSchedule {
  year: number;
  format: YearDocumentFormat;
  days: ImportedDay[];
}

/**
 * The dates a year's schedule may set: the year itself and the December before it, where 元旦
 * can begin or take its make-up workday (the 2019 notice set 2018-12-29…31).
 */
export function scheduleWindow(year: number): { from: string; to: string } {
  return { from: `${String(year - 1).padStart(4, '0')}-12-01`, to: `${String(year).padStart(4, '0')}-12-31` };
}

/**
 * Reads a year's schedule from its document. A JSON list is `[{date, kind, note?}]`; an object
 * with `days` is a holiday-cn document, which must be for `year`; text is iCalendar, of which the
 * days inside the year's window are kept (a file of many years is welcome), and which must give
 * at least one day of the year itself.
 * @throws HolidayFileError naming the line (.ics) or entry (`[2].date`, `days[3].date`): an
 *   unreadable entry, a date given twice, a date outside scheduleWindow(year).
 */
export function readYearDocument(year: number, document: YearDocument, timezone: string): YearSchedule {
  const window = scheduleWindow(year);
  if (document.type === 'ics') {
    const days = parseIcsDays(document.text, { ...window, timezone });
    if (!days.some((d) => d.date.startsWith(`${window.to.slice(0, 4)}-`))) throw new HolidayFileError('', `文件中没有 ${year} 年的放假或调休日期`);
    return { year, format: 'ics', days };
  }
  if (isHolidayCnDocument(document.body)) {
    const parsed = parseHolidayCn(document.body);
    if (parsed.year !== year) throw new HolidayFileError('year', `这是 ${parsed.year} 年的安排，不是 ${year} 年的`);
    // Entries are named by their place in the file as sent; parseHolidayCn has sorted them.
    checkWindow(
      (document.body as HolidayCnDocument).days.map((d) => d.date),
      window,
      year,
      (i) => `days[${i}].date`,
    );
    return { year, format: 'holiday-cn', days: parsed.days };
  }
  const days = parseDayList(document.body);
  checkWindow(
    days.map((d) => d.date),
    window,
    year,
    (i) => `[${i}].date`,
  );
  return { year, format: 'list', days };
}

/** Each date inside the window; `path` names an entry by its index in the document. */
function checkWindow(dates: string[], window: { from: string; to: string }, year: number, path: (i: number) => string): void {
  dates.forEach((date, i) => {
    if (date < window.from || date > window.to) throw new HolidayFileError(path(i), `${date} 不属于 ${year} 年的安排（${window.from} 至 ${window.to}）`);
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A JSON list of `{date, kind, note?}`.
 * @throws HolidayFileError naming the entry (`[2].kind`); a date listed twice is refused.
 */
export function parseDayList(body: unknown): ImportedDay[] {
  if (!Array.isArray(body)) throw new HolidayFileError('', '请发送 {date, kind, note?} 列表、holiday-cn JSON 或 text/calendar 文件');
  const seen = new Map<string, number>();
  return body.map((entry: unknown, i): ImportedDay => {
    if (!isObject(entry)) throw new HolidayFileError(`[${i}]`, `[${i}] 应为 {date, kind, note?}`);
    const { date, kind, note } = entry;
    if (typeof date !== 'string') throw new HolidayFileError(`[${i}].date`, `[${i}].date 应为 YYYY-MM-DD 日期`);
    checkDate(date, `[${i}].date`);
    if (kind !== 'holiday' && kind !== 'workday') throw new HolidayFileError(`[${i}].kind`, `[${i}].kind 应为 holiday 或 workday`);
    if (note !== undefined && note !== null && typeof note !== 'string') throw new HolidayFileError(`[${i}].note`, `[${i}].note 应为文字`);
    const twice = seen.get(date);
    if (twice !== undefined) throw new HolidayFileError(`[${i}].date`, `${date} 已在 [${twice}] 中出现`);
    seen.set(date, i);
    return { date, kind, ...(typeof note === 'string' ? { note } : {}) };
  });
}

/** A day as a calendar stores it, with the year whose schedule set it. */
export interface StoredDay {
  date: string;
  kind: DayKind;
  note: string | null;
  governingYear: number;
}

export interface DayEntry {
  date: string;
  kind: DayKind;
  note: string | null;
}

/** What loading a year's schedule does to a calendar's days; a dry run shows it, a load applies it. */
export interface YearLoadPlan {
  /** Dates the calendar had no exception for. */
  added: DayEntry[];
  /** Days the year's schedule had set that it no longer lists: they become ordinary days again. */
  removed: DayEntry[];
  /** Days whose kind or note changes. */
  changed: (DayEntry & { before: { kind: DayKind; note: string | null } })[];
  /** Days the document lists that a later year's schedule set: left as they are. */
  kept: (DayEntry & { governingYear: number })[];
  /** Every day to write, as set by this year's schedule. */
  write: DayEntry[];
}

/**
 * Loading `year`'s schedule replaces only the days that year's schedule governs: the days it
 * lists (whatever their date) and the days it had set before. A date a later year's schedule
 * set is kept: that notice came out after this one (loading 2018 after 2019 leaves 2018-12-29…31
 * as 2019 set them). `stored` must hold every stored day governed by `year` and every stored day
 * on a date of `incoming`.
 */
export function planYearLoad(year: number, stored: readonly StoredDay[], incoming: readonly ImportedDay[]): YearLoadPlan {
  const byDate = new Map(stored.map((s) => [s.date, s]));
  const plan: YearLoadPlan = { added: [], removed: [], changed: [], kept: [], write: [] };
  const listed = new Set<string>();
  for (const day of incoming) {
    const entry = { date: day.date, kind: day.kind, note: day.note ?? null };
    const before = byDate.get(day.date);
    listed.add(day.date);
    if (before && before.governingYear > year) {
      plan.kept.push({ date: before.date, kind: before.kind, note: before.note, governingYear: before.governingYear });
      continue;
    }
    plan.write.push(entry);
    if (!before) plan.added.push(entry);
    else if (before.kind !== entry.kind || before.note !== entry.note) plan.changed.push({ ...entry, before: { kind: before.kind, note: before.note } });
  }
  for (const s of stored) {
    if (s.governingYear === year && !listed.has(s.date)) plan.removed.push({ date: s.date, kind: s.kind, note: s.note });
  }
  const byDay = (a: { date: string }, b: { date: string }) => a.date.localeCompare(b.date);
  for (const list of [plan.added, plan.removed, plan.changed, plan.kept, plan.write]) list.sort(byDay);
  return plan;
}

/**
 * The year whose schedule a day set when nothing says otherwise: its own, except 元旦 days in
 * December (named 元旦 in their note), which the next year's notice sets.
 */
export function governingYearOf(date: string, note: string | null | undefined): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5, 7) === '12' && (note ?? '').includes('元旦') ? year + 1 : year;
}

/** The month from which next year's schedule is awaited: the State Council publishes it in November or December. */
export const SCHEDULE_AWAITED_FROM_MONTH = 11;

/**
 * The years a calendar's admins must be told it lacks, at `now` in the calendar's zone: this
 * year, and from 1 November next year, each when the calendar has the year before it (a
 * calendar that never loaded a schedule keeps none, and is not chased for one).
 */
export function yearsAwaited(years: readonly number[], timezone: string, now: Date): number[] {
  const { year, month } = localParts(now, timezone);
  const candidates = month >= SCHEDULE_AWAITED_FROM_MONTH ? [year, year + 1] : [year];
  const have = new Set(years);
  return candidates.filter((y) => !have.has(y) && have.has(y - 1));
}
