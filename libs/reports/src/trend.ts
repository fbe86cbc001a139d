import { localParts, ZoneOffsets } from '@duban/calendar';

/** One calendar month of a trend, in the bureau's zone. */
export interface TrendMonth {
  /** `2026-01`: the local year and month. */
  month: string;
  /** The month's first instant there (included). */
  from: Date;
  /** The next month's first instant there (excluded). */
  to: Date;
  /**
   * The instant overdueOpen is counted at: the month's end (`to`) for a month that is over,
   * `now` for the current one (its end is still to come).
   */
  overdueAt: Date;
}

/**
 * The `count` calendar months of `timezone` ending with the one `now` falls in, oldest first. In
 * Asia/Shanghai a month starts at 16:00 UTC on the last day of the month before, so an instant
 * from then on belongs to the next month there.
 */
export function trendMonths(now: Date, count: number, timezone: string): TrendMonth[] {
  const { year, month } = localParts(now, timezone);
  const zone = new ZoneOffsets(timezone);
  const startOf = (index: number) => new Date(zone.toUtc(Date.UTC(year, month - 1 + index, 1)));
  return Array.from({ length: count }, (_, i) => {
    const index = i - count + 1;
    const from = startOf(index);
    const to = startOf(index + 1);
    const local = new Date(Date.UTC(year, month - 1 + index, 1));
    return {
      month: `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`,
      from,
      to,
      overdueAt: index === 0 ? now : to,
    };
  });
}
