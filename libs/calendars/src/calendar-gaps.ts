import { calendarGaps, type CalendarGap, type DeadlineYear } from '@duban/calendar';
import { DEFAULT_CALENDAR } from '@duban/engine';

interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** A calendar as calendarGaps needs it. */
export interface CoveredCalendar {
  key: string;
  timezone: string;
  years: number[];
}

/**
 * The open tasks of each calendar (their pinned workflow version's, `cn` by default) counted by
 * the year, in the calendar's zone, they fall due in: only years the calendar has no schedule for.
 * `keys` null: every calendar.
 */
export async function openDeadlineYears(db: Queryable, keys: readonly string[] | null): Promise<Map<string, DeadlineYear[]>> {
  const rows = await db.query<{ key: string; year: number; tasks: number }[]>(
    `SELECT c.key, d.year, count(*)::int AS tasks
       FROM tasks t
       JOIN workflow_versions w ON w.key = t.workflow_key AND w.version = t.workflow_version
       JOIN calendars c ON c.key = coalesce(w.definition ->> 'calendar', $1)
       CROSS JOIN LATERAL (SELECT extract(year FROM t.due_at AT TIME ZONE c.timezone)::int AS year) d
      WHERE t.closed_at IS NULL AND t.due_at IS NOT NULL AND ($2::text[] IS NULL OR c.key = ANY($2::text[]))
        AND NOT EXISTS (SELECT 1 FROM calendar_years y WHERE y.calendar_key = c.key AND y.year = d.year)
      GROUP BY c.key, d.year ORDER BY c.key, d.year`,
    [DEFAULT_CALENDAR, keys],
  );
  const byKey = new Map<string, DeadlineYear[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), { year: r.year, tasks: r.tasks }]);
  return byKey;
}

/** Each calendar's gaps at `now` (calendarGaps), by key. */
export async function gapsOf(db: Queryable, calendars: readonly CoveredCalendar[], now: Date): Promise<Map<string, CalendarGap[]>> {
  if (calendars.length === 0) return new Map();
  const deadlines = await openDeadlineYears(
    db,
    calendars.map((c) => c.key),
  );
  return new Map(calendars.map((c) => [c.key, calendarGaps(c.years, c.timezone, now, deadlines.get(c.key) ?? [])]));
}
