import { localParts } from './zone.js';
import { yearsAwaited } from './year-schedule.js';

/**
 * Why a year's schedule is missing where it matters: `year-awaited`, the year is here, or from
 * 1 November coming (yearsAwaited); `deadline-year-missing`, open tasks fall due in it.
 */
export type CalendarGapCode = 'year-awaited' | 'deadline-year-missing';

/** A year a calendar has no schedule (days off, make-up workdays) for, and why that matters now. */
export interface CalendarGap {
  code: CalendarGapCode;
  year: number;
  /** Open tasks whose due date falls in the year (in the calendar's zone); absent when none. */
  openTasks?: number;
  /** What the admins are told, in Chinese. */
  message: string;
}

/** Open tasks of a calendar falling due in a year, counted in the calendar's zone. */
export interface DeadlineYear {
  year: number;
  tasks: number;
}

/**
 * The years a calendar lacks at `now` that its admins must load, ascending, one gap each: the
 * years awaited (yearsAwaited: this year, and from 1 November in the calendar's zone the next,
 * each once the year before it is loaded), and every year an open task falls due in. A calendar
 * that keeps no schedule at all counts weekends only by design and has no gaps.
 */
export function calendarGaps(years: readonly number[], timezone: string, now: Date, deadlines: readonly DeadlineYear[]): CalendarGap[] {
  if (years.length === 0) return [];
  const have = new Set(years);
  const current = localParts(now, timezone).year;
  const awaited = new Set(yearsAwaited(years, timezone, now));
  const tasksIn = new Map<number, number>();
  for (const d of deadlines) if (!have.has(d.year) && d.tasks > 0) tasksIn.set(d.year, (tasksIn.get(d.year) ?? 0) + d.tasks);
  return [...new Set([...awaited, ...tasksIn.keys()])]
    .sort((a, b) => a - b)
    .map((year) => {
      const openTasks = tasksIn.get(year);
      const code: CalendarGapCode = awaited.has(year) ? 'year-awaited' : 'deadline-year-missing';
      const which = year === current + 1 ? '下一年度' : year === current ? '本年度' : `${year}年`;
      const lead =
        code === 'year-awaited' ? `尚无${which}（${year}年）的节假日安排。` : `${openTasks} 项未办结任务的期限在${year}年，工作日历尚无该年节假日安排。`;
      const tasks = code === 'year-awaited' && openTasks ? `已有 ${openTasks} 项未办结任务的期限在${year}年。` : '';
      const message = `${lead}${tasks}该年期限只扣除周末，节假日按工作日计算，可能不准确；请导入${year}年的节假日文件。`;
      return openTasks ? { code, year, openTasks, message } : { code, year, message };
    });
}
