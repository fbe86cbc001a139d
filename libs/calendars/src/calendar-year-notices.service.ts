import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { databaseNow } from '@duban/db';
import { message, NotificationsService, type Published } from '@duban/notifications';
import { DataSource } from 'typeorm';
import { gapsOf } from './calendar-gaps.js';

/** The source of a notice that calendar `key` lacks `year`: one notice per admin, however often the job runs. */
export const calendarYearSource = (key: string, year: number) => `calendar-year:${key}:${year}`;

/**
 * Tells the admins, once per calendar and year, that a year's schedule is missing (calendarGaps):
 * from 1 November for the next year, the current one if it is still missing, and any year an
 * open task falls due in. Arithmetic across such a year counts its holidays as worked, so due
 * dates can come early.
 */
@Injectable()
export class CalendarYearNotices {
  private readonly logger = new Logger(CalendarYearNotices.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
  ) {}

  /**
   * Inserts the notices due at `now`, by default PostgreSQL's clock (each admin's once: the source
   * key keeps them single) and publishes the new ones.
   */
  async noticeAwaitedYears(at?: Date): Promise<{ notified: number }> {
    const now = at ?? (await databaseNow(this.db));
    const calendars = await this.db.query<{ key: string; name: string; timezone: string; years: number[] }[]>(
      `SELECT c.key, c.name, c.timezone, coalesce(array_agg(y.year ORDER BY y.year) FILTER (WHERE y.year IS NOT NULL), '{}') AS years
         FROM calendars c LEFT JOIN calendar_years y ON y.calendar_key = c.key
        GROUP BY c.key ORDER BY c.key`,
    );
    const gaps = await gapsOf(this.db, calendars, now);
    const due = calendars.flatMap((c) => (gaps.get(c.key) ?? []).map((gap) => ({ ...c, year: gap.year, openTasks: gap.openTasks })));
    if (due.length === 0) return { notified: 0 };
    const published: Published[] = await this.db.transaction(async (tx) => {
      const admins = ((await tx.query(`SELECT id FROM users WHERE 'admin' = ANY(roles) AND NOT disabled`)) as { id: string }[]).map((u) => u.id);
      const inserted: Published[] = [];
      for (const c of due) {
        const text = message({ kind: 'calendar_year_missing', taskTitle: c.name, taskRef: c.key, year: c.year, openTasks: c.openTasks, timezone: c.timezone });
        inserted.push(
          ...(await this.notifications.insert(tx, {
            userIds: admins,
            kind: 'calendar_year_missing',
            taskId: null,
            title: text.title,
            body: text.body,
            data: { calendar: c.key, year: c.year },
            source: calendarYearSource(c.key, c.year),
            email: true,
          })),
        );
      }
      return inserted;
    });
    await this.notifications.publish(published);
    if (published.length > 0) this.logger.log(`told admins of ${due.map((d) => `${d.key} ${d.year}`).join(', ')}: ${published.length} notice(s)`);
    return { notified: published.length };
  }
}
