import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  BusinessCalendar,
  CalendarError,
  type CalendarDay,
  DEFAULT_TIMEZONE,
  DEFAULT_WORKING_HOURS,
  dayNumber,
  DurationError,
  type ImportedDay,
  parseDuration,
  TimeZoneError,
} from '@duban/calendar';
import { CalendarDayEntity, CalendarEntity, type WorkingPeriodColumn } from '@duban/db';
import { InvalidInputError } from '@duban/http';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarDayNotFoundError, CalendarExistsError, CalendarNotFoundError } from './errors.js';

export interface CalendarSummary {
  key: string;
  name: string;
  timezone: string;
  workingHours: WorkingPeriodColumn[];
}

export interface CalendarDetail extends CalendarSummary {
  days: { date: string; kind: CalendarDay['kind']; note: string | null }[];
}

export interface NewCalendar {
  key: string;
  name: string;
  timezone?: string;
  workingHours?: WorkingPeriodColumn[];
}

/**
 * Calendars and their exception days. Each process keeps built calendars (their day index
 * takes milliseconds to build) and rebuilds one when the row's updated_at shows a change,
 * wherever that change was made.
 */
/** How long a process trusts its built calendar before asking whether another process changed it. */
const FRESHNESS_MS = 5_000;

@Injectable()
export class CalendarsService {
  private readonly built = new Map<string, { stamp: number; checkedAt: number; calendar: BusinessCalendar }>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(page: number, limit: number): Promise<{ items: CalendarSummary[]; total: number }> {
    const [rows, total] = await this.db.getRepository(CalendarEntity).findAndCount({ order: { key: 'ASC' }, skip: (page - 1) * limit, take: limit });
    return { items: rows.map(summary), total };
  }

  async get(key: string, year?: number): Promise<CalendarDetail> {
    const row = await this.row(key);
    const query = this.db.getRepository(CalendarDayEntity).createQueryBuilder('d').where('d.calendarKey = :key', { key }).orderBy('d.date', 'ASC');
    if (year !== undefined) query.andWhere(`d.date >= make_date(:year, 1, 1) AND d.date < make_date(:year + 1, 1, 1)`, { year });
    const days = await query.getMany();
    return { ...summary(row), days: days.map((d) => ({ date: d.date, kind: d.kind, note: d.note })) };
  }

  async create(input: NewCalendar): Promise<CalendarSummary> {
    const timezone = input.timezone ?? DEFAULT_TIMEZONE;
    const workingHours = input.workingHours ?? [...DEFAULT_WORKING_HOURS];
    checkSpec(timezone, workingHours);
    const inserted = await this.db
      .createQueryBuilder()
      .insert()
      .into(CalendarEntity)
      .values({ key: input.key, name: input.name, timezone, workingHours })
      .orIgnore()
      .returning(['key'])
      .execute();
    if ((inserted.raw as unknown[]).length === 0) throw new CalendarExistsError(input.key);
    return summary(await this.row(input.key));
  }

  async setDay(key: string, date: string, kind: CalendarDay['kind'], note: string | null): Promise<CalendarDetail['days'][number]> {
    checkDate(date, 'date');
    await this.db.transaction(async (tx) => {
      await this.touch(tx, key);
      await tx
        .createQueryBuilder()
        .insert()
        .into(CalendarDayEntity)
        .values({ calendarKey: key, date, kind, note })
        .orUpdate(['kind', 'note'], ['calendar_key', 'date'])
        .execute();
    });
    this.built.delete(key);
    return { date, kind, note };
  }

  async deleteDay(key: string, date: string): Promise<void> {
    checkDate(date, 'date');
    await this.db.transaction(async (tx) => {
      await this.touch(tx, key);
      const result = await tx.delete(CalendarDayEntity, { calendarKey: key, date });
      if (!result.affected) throw new CalendarDayNotFoundError(key, date);
    });
    this.built.delete(key);
  }

  /** Replaces one year's exceptions at once: the State Council publishes next year's each November. */
  async replaceYear(key: string, year: number, days: ImportedDay[]): Promise<{ year: number; days: number }> {
    if (!Number.isInteger(year) || year < 1900 || year > 2200) throw new InvalidInputError('year', 'must be a year from 1900 to 2200');
    days.forEach((day, i) => {
      checkDate(day.date, `[${i}].date`);
      if (!day.date.startsWith(`${year}-`)) throw new InvalidInputError(`[${i}].date`, `${day.date} is not in ${year}`);
      if (day.kind !== 'holiday' && day.kind !== 'workday') throw new InvalidInputError(`[${i}].kind`, 'must be holiday or workday');
    });
    const unique = new Map(days.map((d) => [d.date, d]));
    await this.db.transaction(async (tx) => {
      await this.touch(tx, key);
      await tx.query(`DELETE FROM calendar_days WHERE calendar_key = $1 AND date >= make_date($2, 1, 1) AND date < make_date($2 + 1, 1, 1)`, [key, year]);
      if (unique.size > 0) {
        await tx
          .createQueryBuilder()
          .insert()
          .into(CalendarDayEntity)
          .values([...unique.values()].map((d) => ({ calendarKey: key, date: d.date, kind: d.kind, note: d.note ?? null })))
          .execute();
      }
    });
    this.built.delete(key);
    return { year, days: unique.size };
  }

  /**
   * The built calendar, for deadline arithmetic: every transition needs it. A change made in
   * this process counts at once; one made in another process within `maxAgeMs` (0: the calendar
   * as the database has it now, for a re-plan after a change made elsewhere).
   */
  async calendar(key: string, maxAgeMs = FRESHNESS_MS): Promise<BusinessCalendar> {
    const cached = this.built.get(key);
    if (cached && Date.now() - cached.checkedAt < maxAgeMs) return cached.calendar;
    const row = await this.row(key);
    const stamp = row.updatedAt.getTime();
    if (cached && cached.stamp === stamp) {
      cached.checkedAt = Date.now();
      return cached.calendar;
    }
    const days = await this.db.getRepository(CalendarDayEntity).find({ where: { calendarKey: key }, select: { date: true, kind: true } });
    const calendar = new BusinessCalendar({ timezone: row.timezone, workingHours: row.workingHours, days });
    this.built.set(key, { stamp, checkedAt: Date.now(), calendar });
    return calendar;
  }

  async exists(key: string): Promise<boolean> {
    return this.db.getRepository(CalendarEntity).exists({ where: { key } });
  }

  /** `from` plus `duration` on the calendar (GET /calendars/:key/add). */
  async add(key: string, from: Date, duration: string): Promise<Date> {
    try {
      parseDuration(duration);
    } catch (err) {
      if (err instanceof DurationError) throw new InvalidInputError('duration', err.message);
      throw err;
    }
    const calendar = await this.calendar(key);
    try {
      calendar.localDate(from);
    } catch (err) {
      if (err instanceof CalendarError) throw new InvalidInputError('from', `起始时间超出日历范围：${err.message}`);
      throw err;
    }
    try {
      return calendar.add(from, duration);
    } catch (err) {
      // `from` is within the calendar: what falls outside is where the duration leads.
      if (err instanceof CalendarError) throw new InvalidInputError('duration', `时长超出日历范围：${err.message}`);
      throw err;
    }
  }

  private async row(key: string): Promise<CalendarEntity> {
    const row = await this.db.getRepository(CalendarEntity).findOneBy({ key });
    if (!row) throw new CalendarNotFoundError(key);
    return row;
  }

  /** Locks the calendar row and bumps updated_at, so every process rebuilds its copy. */
  private async touch(tx: EntityManager, key: string): Promise<void> {
    // Inside a CTE: the driver returns a bare UPDATE … RETURNING as [rows, count], not rows.
    const rows: unknown[] = await tx.query(
      `WITH touched AS (UPDATE calendars SET updated_at = clock_timestamp() WHERE key = $1 RETURNING key) SELECT key FROM touched`,
      [key],
    );
    if (rows.length === 0) throw new CalendarNotFoundError(key);
    await requestTimerReplan(tx, key);
  }
}

/**
 * Every change to a calendar's days asks, in its own transaction, for the live timers of the
 * tasks counted on it to be re-planned: the timer pump (libs/timers) hands the request to a job.
 */
async function requestTimerReplan(tx: EntityManager, key: string): Promise<void> {
  await tx.query(`INSERT INTO timer_replans (calendar_key) VALUES ($1)`, [key]);
}

function summary(row: CalendarEntity): CalendarSummary {
  return { key: row.key, name: row.name, timezone: row.timezone, workingHours: row.workingHours };
}

function checkDate(date: string, path: string): void {
  try {
    dayNumber(date);
  } catch (err) {
    if (err instanceof CalendarError) throw new InvalidInputError(path, err.message);
    throw err;
  }
}

function checkSpec(timezone: string, workingHours: WorkingPeriodColumn[]): void {
  try {
    new BusinessCalendar({ timezone, workingHours });
  } catch (err) {
    if (err instanceof TimeZoneError) throw new InvalidInputError('timezone', err.message);
    if (err instanceof CalendarError) throw new InvalidInputError('workingHours', err.message);
    throw err;
  }
}
