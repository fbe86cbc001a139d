import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  BusinessCalendar,
  CalendarError,
  type CalendarGap,
  type CalendarDay,
  DEFAULT_TIMEZONE,
  DEFAULT_WORKING_HOURS,
  dayNumber,
  DurationError,
  governingYearOf,
  HolidayFileError,
  parseDuration,
  planYearLoad,
  readYearDocument,
  type StoredDay,
  TimeZoneError,
  type YearDocument,
  type YearDocumentFormat,
  type YearLoadPlan,
  type YearSchedule,
} from '@duban/calendar';
import { CalendarDayEntity, CalendarEntity, databaseNow, type WorkingPeriodColumn } from '@duban/db';
import { InvalidInputError } from '@duban/http';
import { DataSource, type EntityManager } from 'typeorm';
import { gapsOf } from './calendar-gaps.js';
import { CalendarDayNotFoundError, CalendarExistsError, CalendarNotFoundError, HolidayFileInvalidError } from './errors.js';

export interface CalendarSummary {
  key: string;
  name: string;
  timezone: string;
  workingHours: WorkingPeriodColumn[];
  /** The years whose schedule (days off, make-up workdays) is loaded, ascending. */
  years: number[];
  /** The years it lacks that matter now (calendarGaps): awaited, or open tasks fall due in them. */
  warnings: CalendarGap[];
}

/** What loading a year's schedule did, or would do (`dryRun`). */
export interface YearLoadResult extends Omit<YearLoadPlan, 'write'> {
  year: number;
  format: YearDocumentFormat;
  dryRun: boolean;
  /** Days the calendar has from this document: those it lists, less those kept. */
  days: number;
}

/** `from` plus a duration, and the years without a schedule the answer counted across. */
export interface AddResult {
  result: Date;
  missingYears: number[];
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

  /**
   * `warnings`: whether to count the gaps (with the bureau's open tasks in them); they are the
   * admins' to act on, so anyone else gets an empty list without the count being made.
   */
  async list(page: number, limit: number, warnings: boolean): Promise<{ items: CalendarSummary[]; total: number }> {
    const [rows, total] = await this.db.getRepository(CalendarEntity).findAndCount({ order: { key: 'ASC' }, skip: (page - 1) * limit, take: limit });
    const years = await this.yearsOf(rows.map((r) => r.key));
    const gaps = warnings
      ? await this.gapsAt(rows.map((r) => ({ key: r.key, timezone: r.timezone, years: years.get(r.key) ?? [] })))
      : new Map<string, CalendarGap[]>();
    return { items: rows.map((r) => summary(r, years.get(r.key) ?? [], gaps.get(r.key))), total };
  }

  /** `warnings` as for list(). */
  async get(key: string, warnings: boolean, year?: number): Promise<CalendarDetail> {
    const row = await this.row(key);
    const query = this.db.getRepository(CalendarDayEntity).createQueryBuilder('d').where('d.calendarKey = :key', { key }).orderBy('d.date', 'ASC');
    if (year !== undefined) query.andWhere(`d.date >= make_date(:year, 1, 1) AND d.date < make_date(:year + 1, 1, 1)`, { year });
    const days = await query.getMany();
    const years = (await this.yearsOf([key])).get(key) ?? [];
    const gaps = warnings ? await this.gapsAt([{ key, timezone: row.timezone, years }]) : new Map<string, CalendarGap[]>();
    return { ...summary(row, years, gaps.get(key)), days: days.map((d) => ({ date: d.date, kind: d.kind, note: d.note })) };
  }

  /** The loaded years of each calendar. */
  private async yearsOf(keys: string[]): Promise<Map<string, number[]>> {
    const rows = await this.db.query<{ key: string; years: number[] }[]>(
      `SELECT calendar_key AS key, array_agg(year ORDER BY year) AS years FROM calendar_years WHERE calendar_key = ANY($1::text[]) GROUP BY calendar_key`,
      [keys],
    );
    return new Map(rows.map((r) => [r.key, r.years]));
  }

  /** The gaps of the calendars at the database's now, the instant the worker's notices are counted at too. */
  private async gapsAt(calendars: { key: string; timezone: string; years: number[] }[]): Promise<Map<string, CalendarGap[]>> {
    return gapsOf(this.db, calendars, await databaseNow(this.db));
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
    return summary(await this.row(input.key), []);
  }

  /** One day set by hand; it counts as set by its year's schedule, which a reload of that year replaces (governingYearOf). */
  async setDay(key: string, date: string, kind: CalendarDay['kind'], note: string | null): Promise<CalendarDetail['days'][number]> {
    checkDate(date, 'date');
    await this.db.transaction(async (tx) => {
      await this.touch(tx, key);
      await tx
        .createQueryBuilder()
        .insert()
        .into(CalendarDayEntity)
        .values({ calendarKey: key, date, kind, note, governingYear: governingYearOf(date, note) })
        .orUpdate(['kind', 'note', 'governing_year'], ['calendar_key', 'date'])
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

  /**
   * Loads a year's schedule (the State Council publishes next year's each November): the days
   * the document sets replace those the year's schedule set before, and no others (planYearLoad);
   * the year then counts as loaded. `dryRun` answers the same without saving.
   * @throws InvalidInputError (400, `year`) for a year outside 1900–2200; CalendarNotFoundError (404);
   *   HolidayFileInvalidError (400) naming the line or entry of a document that cannot be read.
   */
  async loadYear(key: string, year: number, document: YearDocument, dryRun: boolean): Promise<YearLoadResult> {
    if (!Number.isInteger(year) || year < 1900 || year > 2200) throw new InvalidInputError('year', 'must be a year from 1900 to 2200');
    const row = await this.row(key);
    const schedule = readSchedule(year, document, row.timezone);
    const result = (plan: YearLoadPlan): YearLoadResult => {
      const { write, ...changes } = plan;
      return { year, format: schedule.format, dryRun, days: write.length, ...changes };
    };
    if (dryRun) return result(planYearLoad(year, await this.storedFor(this.db.manager, key, schedule), schedule.days));
    const plan = await this.db.transaction(async (tx) => {
      await this.touch(tx, key);
      const planned = planYearLoad(year, await this.storedFor(tx, key, schedule), schedule.days);
      if (planned.removed.length > 0) {
        await tx.query(`DELETE FROM calendar_days WHERE calendar_key = $1 AND date = ANY($2::date[])`, [key, planned.removed.map((d) => d.date)]);
      }
      if (planned.write.length > 0) {
        await tx.query(
          `INSERT INTO calendar_days (calendar_key, date, kind, note, governing_year)
           SELECT $1, d.date, d.kind, d.note, $2 FROM jsonb_to_recordset($3::jsonb) AS d(date date, kind text, note text)
           ON CONFLICT (calendar_key, date) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note, governing_year = EXCLUDED.governing_year`,
          [key, year, JSON.stringify(planned.write)],
        );
      }
      await tx.query(
        `INSERT INTO calendar_years (calendar_key, year, source) VALUES ($1, $2, $3)
         ON CONFLICT (calendar_key, year) DO UPDATE SET source = EXCLUDED.source, loaded_at = now()`,
        [key, year, schedule.format],
      );
      return planned;
    });
    this.built.delete(key);
    return result(plan);
  }

  /** The stored days a load of `schedule` may touch: those its year set, and those on its dates. */
  private async storedFor(db: EntityManager, key: string, schedule: YearSchedule): Promise<StoredDay[]> {
    return db.query<StoredDay[]>(
      `SELECT date::text AS date, kind, note, governing_year AS "governingYear" FROM calendar_days
        WHERE calendar_key = $1 AND (governing_year = $2 OR date = ANY($3::date[]))`,
      [key, schedule.year, schedule.days.map((d) => d.date)],
    );
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
    const years = (await this.yearsOf([key])).get(key) ?? [];
    const calendar = new BusinessCalendar({ timezone: row.timezone, workingHours: row.workingHours, days, years });
    this.built.set(key, { stamp, checkedAt: Date.now(), calendar });
    return calendar;
  }

  async exists(key: string): Promise<boolean> {
    return this.db.getRepository(CalendarEntity).exists({ where: { key } });
  }

  /** `from` plus `duration` on the calendar (GET /calendars/:key/add), and the years without a schedule it counted across. */
  async add(key: string, from: Date, duration: string): Promise<AddResult> {
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
      return calendar.addChecked(from, duration);
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

function summary(row: CalendarEntity, years: number[], warnings: CalendarGap[] = []): CalendarSummary {
  return { key: row.key, name: row.name, timezone: row.timezone, workingHours: row.workingHours, years, warnings };
}

function readSchedule(year: number, document: YearDocument, timezone: string): YearSchedule {
  try {
    return readYearDocument(year, document, timezone);
  } catch (err) {
    if (err instanceof HolidayFileError) throw new HolidayFileInvalidError(err.path, err.message, err.line);
    throw err;
  }
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
