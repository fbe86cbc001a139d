import { dayNumber } from './calendar.js';
import { HolidayFileError, type ImportedDay } from './ics.js';

/**
 * A holiday-cn document (github.com/NateScarlet/holiday-cn, one file per year): the days the
 * State Council's notices for `year` set, taken as they are. `days` may begin in the December
 * before: the 2019 file lists 2018-12-29 (worked) and 2018-12-30…31 (off) for 元旦 2019.
 */
export interface HolidayCnDocument {
  year: number;
  /** The notices' addresses. */
  papers: string[];
  days: { name: string; date: string; isOffDay: boolean }[];
}

/** Whether a JSON body is meant as a holiday-cn document (an object with `days`) rather than a list of days. */
export function isHolidayCnDocument(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && 'days' in body;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The year and days of a holiday-cn document: a day off is a holiday noted by its name (国庆节),
 * a day worked a workday noted `<name>补班` (国庆节补班), as the demo calendar's days are.
 * Other members ($schema, $id) are ignored.
 * @throws HolidayFileError naming the member or entry (`year`, `days[3].date`) that is wrong,
 *   a date listed twice included.
 */
export function parseHolidayCn(body: unknown): { year: number; days: ImportedDay[] } {
  if (!isObject(body)) throw new HolidayFileError('', '不是 holiday-cn 文件：应为 {year, papers, days} 对象');
  const { year, papers, days } = body;
  if (typeof year !== 'number' || !Number.isInteger(year)) throw new HolidayFileError('year', 'year 应为年份整数');
  if (papers !== undefined && !(Array.isArray(papers) && papers.every((p) => typeof p === 'string'))) {
    throw new HolidayFileError('papers', 'papers 应为通知链接的列表');
  }
  if (!Array.isArray(days)) throw new HolidayFileError('days', 'days 应为列表');
  const seen = new Map<string, number>();
  const parsed = days.map((entry: unknown, i): ImportedDay => {
    const path = `days[${i}]`;
    if (!isObject(entry)) throw new HolidayFileError(path, `${path} 应为 {name, date, isOffDay}`);
    const { name, date, isOffDay } = entry;
    if (typeof name !== 'string' || name.trim() === '') throw new HolidayFileError(`${path}.name`, `${path}.name 应为节日名称`);
    if (typeof date !== 'string') throw new HolidayFileError(`${path}.date`, `${path}.date 应为 YYYY-MM-DD 日期`);
    checkDate(date, `${path}.date`);
    if (typeof isOffDay !== 'boolean') throw new HolidayFileError(`${path}.isOffDay`, `${path}.isOffDay 应为 true 或 false`);
    const twice = seen.get(date);
    if (twice !== undefined) throw new HolidayFileError(`${path}.date`, `${date} 已在 days[${twice}] 中出现`);
    seen.set(date, i);
    return isOffDay ? { date, kind: 'holiday', note: name.trim() } : { date, kind: 'workday', note: `${name.trim()}补班` };
  });
  return { year, days: parsed.sort((a, b) => a.date.localeCompare(b.date)) };
}

/** A real YYYY-MM-DD date, or HolidayFileError at `path`. */
export function checkDate(date: string, path: string): void {
  try {
    dayNumber(date);
  } catch {
    throw new HolidayFileError(path, `${path} 不是有效的日期（${date}），应为 YYYY-MM-DD`);
  }
}
