import { type Duration, NATURAL_MS, parseDuration } from './duration.js';
import { DAY, MINUTE, ZoneOffsets } from './zone.js';

export type DayKind = 'holiday' | 'workday';

export interface CalendarDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  kind: DayKind;
}

export interface WorkingPeriod {
  /** Local clock time, HH:MM. */
  start: string;
  end: string;
}

export interface CalendarSpec {
  timezone?: string;
  workingHours?: WorkingPeriod[];
  days?: readonly CalendarDay[];
  /**
   * The years whose holidays and make-up workdays were loaded (a year's schedule, published each
   * November). Absent: the calendar keeps no schedule and every year counts as known.
   */
  years?: readonly number[];
}

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';
/** The hours of a Chinese government office. */
export const DEFAULT_WORKING_HOURS: readonly WorkingPeriod[] = [
  { start: '08:30', end: '12:00' },
  { start: '14:00', end: '17:30' },
];

export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** Day number (days since 1970-01-01) of a YYYY-MM-DD date; throws on an impossible date. */
export function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new CalendarError(`"${date}" is not a date in the form YYYY-MM-DD`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new CalendarError(`"${date}" is not a calendar date`);
  return ms / DAY;
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function clockMinutes(clock: string, what: string): number {
  const m = CLOCK.exec(clock);
  if (!m || (m[1] === '24' && m[2] !== '00')) throw new CalendarError(`${what} "${clock}" is not a clock time HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Working periods as minutes after midnight, checked: ascending, non-empty, not overlapping. */
export function parseWorkingHours(periods: readonly WorkingPeriod[]): [number, number][] {
  if (periods.length === 0) throw new CalendarError('a calendar needs at least one working period');
  const parsed = periods.map((p, i): [number, number] => [clockMinutes(p.start, `workingHours[${i}].start`), clockMinutes(p.end, `workingHours[${i}].end`)]);
  parsed.forEach(([start, end], i) => {
    if (end <= start) throw new CalendarError(`workingHours[${i}] ends before it starts`);
    if (i > 0 && start < parsed[i - 1]![1]) throw new CalendarError(`workingHours[${i}] overlaps or precedes the period before it`);
  });
  return parsed;
}

/** Where the index starts when a calendar has no exceptions; it grows to whatever dates are asked. */
const INDEX_ANCHOR = Date.UTC(2026, 0, 1) / DAY;
/** Years the day index covers beyond the dates it was asked about, so most calls never grow it. */
const MARGIN_DAYS = 3 * 366;

/**
 * A business calendar: a time zone, daily working periods, and dated exceptions (a weekday
 * off, a weekend day worked: 调休). Answers are O(1) or O(log n) through a day index built once
 * per calendar: per local day, whether it is worked, its periods as instants, and running
 * totals of working days and working time.
 */
export class BusinessCalendar {
  readonly timezone: string;
  readonly workingHours: readonly WorkingPeriod[];
  /** Working time of one full working day, ms. */
  readonly dayLengthMs: number;
  /** Years with a loaded schedule, ascending; null when the calendar keeps none (see CalendarSpec.years). */
  readonly years: readonly number[] | null;

  private readonly zone: ZoneOffsets;
  private readonly covered: ReadonlySet<number> | null;
  private readonly periods: [number, number][];
  private readonly exceptions = new Map<number, DayKind>();

  // The day index over [first, first + n).
  private first = 0;
  private n = 0;
  private working = new Uint8Array(0);
  private cumDays = new Int32Array(1);
  private workDays = new Int32Array(0);
  private cumMs = new Float64Array(1);
  private periodStart = new Float64Array(0);
  private periodEnd = new Float64Array(0);

  constructor(spec: CalendarSpec = {}) {
    this.timezone = spec.timezone ?? DEFAULT_TIMEZONE;
    this.workingHours = spec.workingHours ?? DEFAULT_WORKING_HOURS;
    this.zone = new ZoneOffsets(this.timezone);
    this.periods = parseWorkingHours(this.workingHours);
    this.dayLengthMs = this.periods.reduce((sum, [s, e]) => sum + (e - s) * MINUTE, 0);
    this.years = spec.years ? [...new Set(spec.years)].sort((a, b) => a - b) : null;
    this.covered = this.years ? new Set(this.years) : null;
    for (const day of spec.days ?? []) {
      if (day.kind !== 'holiday' && day.kind !== 'workday') throw new CalendarError(`day ${day.date}: kind must be holiday or workday`);
      this.exceptions.set(dayNumber(day.date), day.kind);
    }
    const known = [...this.exceptions.keys()];
    this.build(Math.min(INDEX_ANCHOR, ...known) - MARGIN_DAYS, Math.max(INDEX_ANCHOR, ...known) + MARGIN_DAYS);
  }

  private build(firstDay: number, endDay: number): void {
    const n = endDay - firstDay;
    const P = this.periods.length;
    this.zone.cover((firstDay - 2) * DAY, (endDay + 2) * DAY);
    const working = new Uint8Array(n);
    const cumDays = new Int32Array(n + 1);
    const cumMs = new Float64Array(n + 1);
    const periodStart = new Float64Array(n * P);
    const periodEnd = new Float64Array(n * P);
    const workDays: number[] = [];
    for (let i = 0; i < n; i++) {
      const day = firstDay + i;
      const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
      const exception = this.exceptions.get(day);
      const worked = exception === 'workday' || (exception !== 'holiday' && weekday !== 0 && weekday !== 6);
      let ms = 0;
      for (let p = 0; p < P; p++) {
        const [s, e] = this.periods[p]!;
        periodStart[i * P + p] = this.zone.toUtc(day * DAY + s * MINUTE);
        periodEnd[i * P + p] = this.zone.toUtc(day * DAY + e * MINUTE);
        ms += periodEnd[i * P + p]! - periodStart[i * P + p]!;
      }
      working[i] = worked ? 1 : 0;
      cumDays[i + 1] = cumDays[i]! + (worked ? 1 : 0);
      cumMs[i + 1] = cumMs[i]! + (worked ? ms : 0);
      if (worked) workDays.push(day);
    }
    this.first = firstDay;
    this.n = n;
    this.working = working;
    this.cumDays = cumDays;
    this.cumMs = cumMs;
    this.periodStart = periodStart;
    this.periodEnd = periodEnd;
    this.workDays = Int32Array.from(workDays);
  }

  /** Grows the index so that it covers [fromDay, toDay] with a margin. */
  private cover(fromDay: number, toDay: number): void {
    if (fromDay >= this.first && toDay < this.first + this.n) return;
    // Only the side that falls short grows: growing forward keeps `first`, so working-time
    // positions taken before stay valid; callers grow backward before taking positions.
    const first = fromDay < this.first ? fromDay - MARGIN_DAYS : this.first;
    const end = toDay >= this.first + this.n ? toDay + MARGIN_DAYS : this.first + this.n;
    if (end - first > 400 * 366) throw new CalendarError('date out of the supported range');
    this.build(first, end);
  }

  private dayOf(utcMs: number): number {
    return Math.floor(this.zone.toLocal(utcMs) / DAY);
  }

  private localDay(utcMs: number): number {
    const day = this.dayOf(utcMs);
    this.cover(day - 1, day + 1);
    return day;
  }

  /** Grows the index to cover `back` days before and `ahead` days after the instant's day. */
  private coverAround(utcMs: number, back: number, ahead: number): void {
    const day = this.dayOf(utcMs);
    this.cover(day - back - 1, day + ahead + 1);
  }

  /** Days that surely hold `ms` of working time, with room for long holidays. */
  private daysFor(ms: number): number {
    return Math.ceil((ms / Math.max(this.dayLengthMs, 1)) * 1.6) + 30;
  }

  /** Working time from the start of the index to `t`; the index must cover `t`. */
  private position(t: number): number {
    const day = this.dayOf(t);
    const i = day - this.first;
    let ms = this.cumMs[i]!;
    if (this.working[i]) {
      const P = this.periods.length;
      for (let p = 0; p < P; p++) {
        const s = this.periodStart[i * P + p]!;
        const e = this.periodEnd[i * P + p]!;
        if (t >= e) ms += e - s;
        else if (t > s) ms += t - s;
      }
    }
    return ms;
  }

  /** The earliest working instant at which `position` reaches `target`. */
  private atPosition(target: number): number {
    const last = this.cumMs[this.n]!;
    if (target >= last) this.cover(this.first, this.first + this.n + this.daysFor(target - last));
    if (target < 0) throw new CalendarError('date out of the supported range');
    // The day d with cumMs[d] <= target < cumMs[d + 1]: days off have no width and are skipped.
    const cum = this.cumMs;
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cum[mid]! <= target) lo = mid;
      else hi = mid - 1;
    }
    while (lo < this.n && !(this.working[lo] && cum[lo + 1]! > target)) lo++;
    let rest = target - cum[lo]!;
    const P = this.periods.length;
    for (let p = 0; p < P; p++) {
      const s = this.periodStart[lo * P + p]!;
      const e = this.periodEnd[lo * P + p]!;
      if (rest < e - s) return s + rest;
      rest -= e - s;
    }
    throw new CalendarError('working time position out of range');
  }

  isWorkingDay(date: string): boolean {
    const day = dayNumber(date);
    this.cover(day, day);
    return this.working[day - this.first] === 1;
  }

  /**
   * The years, ascending, from the local day of `a` to that of `b` (either order, both ends
   * included) whose schedule this calendar lacks. Working time counted across them knows the
   * weekends only: a holiday there is counted as worked. Empty when the calendar keeps no
   * schedule (CalendarSpec.years absent).
   */
  missingYears(a: Date, b: Date): number[] {
    if (!this.covered) return [];
    const yearOf = (t: Date) => new Date(Math.floor(this.zone.toLocal(t.getTime()) / DAY) * DAY).getUTCFullYear();
    const [from, to] = [yearOf(a), yearOf(b)].sort((x, y) => x - y) as [number, number];
    const missing: number[] = [];
    for (let year = from; year <= to; year++) if (!this.covered.has(year)) missing.push(year);
    return missing;
  }

  /** Local date (YYYY-MM-DD) of an instant in this calendar's zone. */
  localDate(t: Date): string {
    return dateOfDay(this.localDay(t.getTime()));
  }

  /** The instant a local date begins (midnight in this calendar's zone). */
  startOfDay(date: string): Date {
    return new Date(this.zone.toUtc(dayNumber(date) * DAY));
  }

  isWorkingInstant(t: Date): boolean {
    const ms = t.getTime();
    const i = this.localDay(ms) - this.first;
    if (!this.working[i]) return false;
    const P = this.periods.length;
    for (let p = 0; p < P; p++) {
      if (ms >= this.periodStart[i * P + p]! && ms < this.periodEnd[i * P + p]!) return true;
    }
    return false;
  }

  /** `t` when it is inside a working period, else the start of the next working period. */
  nextWorkingInstant(t: Date): Date {
    return new Date(this.nextWorking(t.getTime()));
  }

  private nextWorking(ms: number): number {
    this.coverAround(ms, 0, 60);
    return this.atPosition(this.position(ms));
  }

  /** Milliseconds of working time in [a, b); negative when b is before a. */
  workingTimeBetween(a: Date, b: Date): number {
    const ta = a.getTime();
    const tb = b.getTime();
    this.coverAround(Math.min(ta, tb), 0, 0);
    this.coverAround(Math.max(ta, tb), 0, 0);
    return this.position(tb) - this.position(ta);
  }

  /** Working time expressed in this calendar's working days. */
  toWorkingDays(ms: number): number {
    return ms / this.dayLengthMs;
  }

  /** `from` plus `ms` of working time; the result is a working instant. */
  addWorkingTime(from: Date, ms: number): Date {
    return new Date(this.addWorking(from.getTime(), ms));
  }

  private addWorking(t: number, ms: number): number {
    if (ms >= 0) {
      this.coverAround(t, 0, this.daysFor(ms));
    } else {
      this.coverAround(t, this.daysFor(-ms), 0);
    }
    return this.atPosition(Math.max(0, this.position(t) + ms));
  }

  /**
   * `add`, and the years lacking a schedule that the answer counted across (see missingYears):
   * none for natural durations (s, m, h, d), which no holiday moves.
   * @throws DurationError, CalendarError as `add` does.
   */
  addChecked(from: Date, duration: string | Duration): { result: Date; missingYears: number[] } {
    const parsed = typeof duration === 'string' ? parseDuration(duration) : duration;
    const result = this.add(from, parsed);
    return { result, missingYears: parsed.unit === 'wd' || parsed.unit === 'wh' ? this.missingYears(from, result) : [] };
  }

  add(from: Date, duration: string | Duration): Date {
    return new Date(this.shift(from.getTime(), duration, 1));
  }

  /** `from` minus a duration: reminders fire this long before a due date. */
  subtract(from: Date, duration: string | Duration): Date {
    return new Date(this.shift(from.getTime(), duration, -1));
  }

  private shift(t: number, duration: string | Duration, sign: 1 | -1): number {
    const { amount, unit } = typeof duration === 'string' ? parseDuration(duration) : duration;
    switch (unit) {
      case 's':
      case 'm':
      case 'h':
        return t + sign * amount * NATURAL_MS[unit];
      case 'd':
        // Natural days keep the local clock time, across a DST change too.
        return this.zone.toUtc(this.zone.toLocal(t) + sign * amount * DAY);
      case 'wh':
        return this.addWorking(t, sign * amount * 3_600_000);
      case 'wd':
        return sign > 0 ? this.addWorkingDays(t, amount) : this.subtractWorkingDays(t, amount);
      case 'wde':
        return this.endOfWorkingDay(t, sign * amount);
    }
  }

  /**
   * The end (last millisecond, local time) of the |n|-th working day after `t`'s local day, or
   * before it when n < 0; n = 0 is the end of `t`'s own day. A deadline "within N working days"
   * counted from the next day (自次日起算) ends there, whatever the hour the task came in.
   */
  private endOfWorkingDay(t: number, n: number): number {
    const day = this.dayOf(t);
    const span = Math.ceil(Math.abs(n) * 1.6) + 30;
    this.cover(day - (n < 0 ? span : 1), day + (n > 0 ? span : 1));
    let target = day;
    if (n !== 0) {
      const k = n > 0 ? this.cumDays[day + 1 - this.first]! + n - 1 : this.cumDays[day - this.first]! + n;
      if (k < 0 || k >= this.workDays.length) throw new CalendarError('date out of the supported range');
      target = this.workDays[k]!;
    }
    return this.zone.toUtc((target + 1) * DAY) - 1;
  }

  /**
   * Whether `t` is the end of its local day: from 23:59:59 on, or midnight itself. A due date
   * there ("by the end of the day", `Nwde`, a plan's 年底) is not meant to the second, so the
   * notices about it wait for working hours.
   */
  isEndOfDay(t: Date): boolean {
    const local = this.zone.toLocal(t.getTime());
    const clock = local - Math.floor(local / DAY) * DAY;
    return clock === 0 || clock >= DAY - 1000;
  }

  /** `t` when it is inside a working period, else the end of the last working period before it. */
  workingEndBefore(t: Date): Date {
    const ms = t.getTime();
    this.coverAround(ms, 60, 0);
    if (this.isWorkingInstant(t)) return t;
    const position = this.position(ms);
    if (position <= 0) throw new CalendarError('date out of the supported range');
    // The working millisecond just before the gap `t` falls in ends that period.
    return new Date(this.atPosition(position - 1) + 1);
  }

  /** The same local clock time on the N-th working day before `t`'s day. */
  private subtractWorkingDays(t: number, amount: number): number {
    const local = this.zone.toLocal(t);
    const day = Math.floor(local / DAY);
    this.cover(day - Math.ceil(amount * 1.6) - 30, day);
    const k = this.cumDays[day - this.first]! - amount;
    if (k < 0) throw new CalendarError('date out of the supported range');
    return this.zone.toUtc(this.workDays[k]! * DAY + (local - day * DAY));
  }

  private addWorkingDays(t: number, amount: number): number {
    const start = this.nextWorking(t);
    const local = this.zone.toLocal(start);
    const day = Math.floor(local / DAY);
    const clock = local - day * DAY;
    this.cover(day, day + Math.ceil(amount * 1.6) + 30);
    const k = this.cumDays[day - this.first]! + amount;
    if (k >= this.workDays.length) throw new CalendarError('date out of the supported range');
    return this.zone.toUtc(this.workDays[k]! * DAY + clock);
  }
}
