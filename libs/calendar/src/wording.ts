import type { BusinessCalendar } from './calendar.js';
import { HOUR, MINUTE } from './zone.js';

/**
 * How a Chinese office writes dates and time limits, in the calendar's zone: always with the
 * year (a notice read in January about a December deadline must not be ambiguous), and the time
 * left counted in working time, as UI.md writes it (`剩余 2 个工作日`, `已逾期 3 个工作日`).
 */

function parts(at: Date, timezone: string): Record<string, string> {
  return Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', {
      timeZone: timezone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
}

/** "2023年12月31日" in `timezone` (an IANA zone). */
export function dateInWords(at: Date, timezone: string): string {
  const p = parts(at, timezone);
  return `${p.year}年${p.month}月${p.day}日`;
}

/** "2023年12月31日 17:00" in `timezone` (an IANA zone), 24-hour clock. */
export function momentInWords(at: Date, timezone: string): string {
  const p = parts(at, timezone);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

/** The working time between now and a due date, as a person reads it. */
export interface TimeLeft {
  /** Whether `now` is past the due date (natural time: a deadline passed on Friday night is overdue on Saturday). */
  overdue: boolean;
  /** Working milliseconds left (negative when overdue) on the calendar. */
  workingMs: number;
  /** Whole working days of |workingMs| (the calendar's working-day length). */
  workingDays: number;
  /** `剩余 2 个工作日`, `剩余 3 个工作小时`, `已逾期 1 个工作日`, `剩余不足 1 个工作小时`. */
  words: string;
}

/**
 * The time left until `dueAt` at `now`, counted in working days when a day or more, else in
 * working hours, on `calendar` (its holidays and 调休 count). Pure.
 * @throws CalendarError when the dates lie outside the calendar's range.
 */
export function timeLeft(dueAt: Date, now: Date, calendar: BusinessCalendar): TimeLeft {
  const overdue = now.getTime() > dueAt.getTime();
  const workingMs = calendar.workingTimeBetween(now, dueAt);
  const span = Math.abs(workingMs);
  const workingDays = Math.floor(calendar.toWorkingDays(span) + 1e-9);
  const prefix = overdue ? '已逾期' : '剩余';
  let amount: string;
  if (workingDays >= 1) amount = ` ${workingDays} 个工作日`;
  else if (span >= HOUR) amount = ` ${Math.floor(span / HOUR)} 个工作小时`;
  else if (span >= MINUTE) amount = ` ${Math.floor(span / MINUTE)} 个工作分钟`;
  else amount = '不足 1 个工作分钟';
  return { overdue, workingMs: overdue ? -span : span, workingDays, words: `${prefix}${amount}` };
}
