/**
 * UTC offsets of an IANA time zone as a piecewise-constant function, found once with Intl and
 * then answered by arithmetic: planning a deadline must not format dates.
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export class TimeZoneError extends Error {
  constructor(readonly timezone: string) {
    super(`"${timezone}" is not an IANA time zone (e.g. Asia/Shanghai)`);
    this.name = 'TimeZoneError';
  }
}

function formatterFor(timezone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new TimeZoneError(timezone);
  }
}

/** The wall-clock fields of an instant in a zone. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function partsOf(format: Intl.DateTimeFormat, at: Date | number): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts as unknown as LocalParts;
}

/**
 * The wall-clock fields (month 1–12, hour 0–23) of an instant in an IANA zone, seconds floored.
 * Formats with Intl, so it is for reports and labels, not deadline arithmetic (BusinessCalendar).
 * @throws TimeZoneError for a zone Intl does not know.
 */
export function localParts(at: Date, timezone: string): LocalParts {
  return partsOf(formatterFor(timezone), at);
}

export class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  /** Instants where the offset changes, ascending, and the offset from each on. */
  private readonly at: number[] = [];
  private readonly offsets: number[] = [];
  private coveredFrom = Infinity;
  private coveredTo = -Infinity;

  constructor(readonly timezone: string) {
    this.format = formatterFor(timezone);
  }

  /** Offset (local minus UTC, ms) computed directly; slow, used to build the table. */
  private measure(utcMs: number): number {
    const seconds = Math.floor(utcMs / 1000) * 1000;
    const parts = partsOf(this.format, seconds);
    const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    return local - seconds;
  }

  /** Makes the table exact over [fromUtc, toUtc]; a month is sampled at both ends and split where they differ. */
  cover(fromUtc: number, toUtc: number): void {
    if (fromUtc >= this.coveredFrom && toUtc <= this.coveredTo) return;
    const from = Math.min(fromUtc, this.coveredFrom);
    const to = Math.max(toUtc, this.coveredTo);
    const at: number[] = [from];
    const offsets: number[] = [this.measure(from)];
    const STEP = 28 * DAY;
    for (let lo = from; lo < to; lo += STEP) {
      const hi = Math.min(lo + STEP, to);
      let offLo = this.measure(lo);
      const offHi = this.measure(hi);
      let start = lo;
      // Zones change offset at most a few times a year: bisect each change to the minute.
      while (offLo !== offHi) {
        let a = start;
        let b = hi;
        while (b - a > MINUTE) {
          const mid = a + Math.floor((b - a) / 2 / MINUTE) * MINUTE || a + MINUTE;
          if (this.measure(mid) === offLo) a = mid;
          else b = mid;
        }
        const offB = this.measure(b);
        at.push(b);
        offsets.push(offB);
        offLo = offB;
        start = b;
      }
    }
    this.at.splice(0, this.at.length, ...at);
    this.offsets.splice(0, this.offsets.length, ...offsets);
    this.coveredFrom = from;
    this.coveredTo = to;
  }

  offsetAt(utcMs: number): number {
    if (utcMs < this.coveredFrom || utcMs > this.coveredTo) {
      this.cover(Math.min(utcMs - 366 * DAY, this.coveredFrom), Math.max(utcMs + 366 * DAY, this.coveredTo));
    }
    const at = this.at;
    if (at.length === 1) return this.offsets[0]!;
    let lo = 0;
    let hi = at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at[mid]! <= utcMs) lo = mid;
      else hi = mid - 1;
    }
    return this.offsets[lo]!;
  }

  /** Wall-clock time of an instant, as milliseconds on a UTC axis ("local ms"). */
  toLocal(utcMs: number): number {
    return utcMs + this.offsetAt(utcMs);
  }

  /**
   * The instant showing this wall-clock time. In a spring-forward gap the clock time does not
   * exist and the later offset is used; in a fall-back overlap the earlier instant is chosen.
   */
  toUtc(localMs: number): number {
    const before = this.offsetAt(localMs - DAY);
    const after = this.offsetAt(localMs + DAY);
    const early = localMs - before;
    if (before === after) return early;
    const earlyFits = this.offsetAt(early) === before;
    const late = localMs - after;
    const lateFits = this.offsetAt(late) === after;
    if (earlyFits && lateFits) return Math.min(early, late);
    if (lateFits) return late;
    return early;
  }
}

/** A local date as query parameters give one: `2025-10-01`. */
export const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A bound of a period as a query gives it: an ISO 8601 instant as it says, or a local date
 * (YYYY-MM-DD) in `timezone`, read as the instant that day begins, or with `end` the instant the
 * next day begins (the day itself included in a half-open [from, to) period). `from=2025-10-01`
 * in Asia/Shanghai is 2025-09-30T16:00:00Z.
 */
export function periodBound(value: string, timezone: string, end = false): Date {
  if (!LOCAL_DATE.test(value)) return new Date(value);
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return new Date(new ZoneOffsets(timezone).toUtc(Date.UTC(y, m - 1, d + (end ? 1 : 0))));
}
