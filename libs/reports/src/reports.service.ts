import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEFAULT_TIMEZONE, localParts, ZoneOffsets } from '@duban/calendar';
import { WITHDRAWN_STATE } from '@duban/engine';
import { InvalidInputError } from '@duban/http';
import { message, NotificationsService, type Published } from '@duban/notifications';
import { type Caller, scopeOf, visibleDepartments } from '@duban/tasks';
import { WorkflowRuntime } from '@duban/workflows';
import { DataSource } from 'typeorm';
import { type Bulletin, bulletinOf, bulletinOrder, bulletinWithin, type DepartmentKpis, type Kpis, type StoredBulletin } from './bulletin.js';
import { BulletinNotFoundError, DepartmentOutOfReachError } from './errors.js';
import { type TrendMonth, trendMonths } from './trend.js';

export interface TrendQuery {
  /** How many months, ending with the current one. */
  months: number;
  now: Date;
  departmentId?: string;
  workflow?: string;
}

/** One month of GET /reports/trend: the KPIs of API.md over that month, totals of the caller's departments. */
export interface TrendPoint {
  month: string;
  from: string;
  to: string;
  overdueAt: string;
  closed: number;
  closedOnTime: number;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  overdueOpen: number;
}

export interface KpiQuery {
  from: Date;
  to: Date;
  departmentId?: string;
  workflow?: string;
}

/**
 * The departments whose figures `caller` may read (null: all), as the task scope says: admins
 * all, supervisors those they supervise, leads and handlers their own.
 * @throws DepartmentOutOfReachError (403) when `departmentId` is outside them.
 */
export async function reportReach(db: DataSource, caller: Caller | null, departmentId?: string): Promise<string[] | null> {
  if (caller === null) return null;
  const visible = visibleDepartments(await scopeOf(db.manager, caller));
  if (departmentId && visible !== null && !visible.includes(departmentId)) throw new DepartmentOutOfReachError(departmentId);
  return visible;
}

interface CountRow {
  d: string;
  name: string;
  created: number | null;
  closed: number | null;
  on_time: number | null;
  early: number | null;
  handling_sum: number | null;
  handling_n: number | null;
  satisfied: number | null;
  rated: number | null;
  accepted: number | null;
  accepted_on_time: number | null;
  yellow: number | null;
  red: number | null;
  extensions: number | null;
  returns: number | null;
  overdue_open: number | null;
  urges: number | null;
}

const COUNT_FIELDS = [
  'created',
  'closed',
  'on_time',
  'early',
  'handling_sum',
  'handling_n',
  'satisfied',
  'rated',
  'accepted',
  'accepted_on_time',
  'yellow',
  'red',
  'extensions',
  'returns',
  'overdue_open',
  'urges',
] as const;

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

function kpisOf(c: Omit<CountRow, 'd' | 'name'>): Kpis {
  const n = (v: number | null) => Number(v ?? 0);
  return {
    created: n(c.created),
    closed: n(c.closed),
    closedOnTime: n(c.on_time),
    onTimeRate: ratio(n(c.on_time), n(c.closed)),
    earlyRate: ratio(n(c.early), n(c.closed)),
    avgHandlingWorkingDays: ratio(n(c.handling_sum), n(c.handling_n)),
    acceptedOnTimeRate: ratio(n(c.accepted_on_time), n(c.accepted)),
    satisfactionRate: ratio(n(c.satisfied), n(c.rated)),
    yellowCards: n(c.yellow),
    redCards: n(c.red),
    extensions: n(c.extensions),
    returns: n(c.returns),
    overdueOpen: n(c.overdue_open),
    urges: n(c.urges),
  };
}

/** Rank 1 is best: on-time rate, then satisfaction, both descending with nulls last; ties share a rank. */
export function rankDepartments<T extends Kpis>(rows: T[]): (T & { rank: number })[] {
  const key = (r: Kpis) => [r.onTimeRate ?? -1, r.satisfactionRate ?? -1] as const;
  const sorted = [...rows].sort((a, b) => key(b)[0] - key(a)[0] || key(b)[1] - key(a)[1]);
  return sorted.map((row, i) => {
    let first = i;
    while (first > 0 && key(sorted[first - 1]!)[0] === key(row)[0] && key(sorted[first - 1]!)[1] === key(row)[1]) first--;
    return { ...row, rank: first + 1 };
  });
}

/**
 * The bureaus' KPIs (API.md, Reports) as aggregates over indexed columns: each measure reads
 * only the tasks or events of its period through its own index (created_at, closed_at,
 * accepted_at, task_events.at over the facts in force (a withdrawn card is not counted), and a GiST index on the span a task was overdue and open), and
 * working-time figures were fixed on each task's own calendar when they happened.
 */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WorkflowRuntime) private readonly runtime: WorkflowRuntime,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
  ) {}

  /** The figures `caller` may read (null: every department, for the monthly job); totals over those only. */
  async kpis(
    query: KpiQuery,
    caller: Caller | null = null,
  ): Promise<{ totals: Kpis; byDepartment: (Kpis & { departmentId: string; departmentName: string; rank: number })[] }> {
    const rows = await this.departmentRows(query, caller);
    return {
      totals: this.totals(rows),
      byDepartment: rows.map(({ counts: _counts, ...row }) => row),
    };
  }

  async bulletin(query: KpiQuery, caller: Caller | null = null): Promise<Bulletin> {
    const { departmentIds: _ids, ...bulletin } = await this.composeBulletin(query, caller);
    return bulletin;
  }

  /** The bulletin with the department of each of its rows. */
  private async composeBulletin(query: KpiQuery, caller: Caller | null): Promise<Required<StoredBulletin>> {
    const rows = bulletinOrder(await this.departmentRows(query, caller));
    let subject = '督办事项';
    if (query.workflow) subject = (await this.runtime.named(query.workflow)).definition.name;
    return { ...bulletinOf(rows, { from: query.from, to: query.to, timezone: DEFAULT_TIMEZONE, subject }), departmentIds: rows.map((r) => r.departmentId) };
  }

  /**
   * The previous month's bulletin, kept once per period, and a notice to every supervisor.
   * Run by the monthly job; a second run for the same month changes nothing.
   */
  async publishMonthly(now = new Date()): Promise<{ bulletinId: string; created: boolean; notified: number }> {
    const { from, to } = previousMonth(now, DEFAULT_TIMEZONE);
    const bulletin = await this.composeBulletin({ from, to }, null);
    let published: Published[] = [];
    const outcome = await this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string }[]>(
        `INSERT INTO bulletins (period_from, period_to, title, content) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (period_from, period_to) DO NOTHING RETURNING id`,
        [from, to, bulletin.title, JSON.stringify(bulletin)],
      );
      if (!row) {
        const [existing] = await tx.query<{ id: string }[]>(`SELECT id FROM bulletins WHERE period_from = $1 AND period_to = $2`, [from, to]);
        return { bulletinId: existing.id, created: false, notified: 0 };
      }
      const supervisors = ((await tx.query(`SELECT id FROM users WHERE 'supervisor' = ANY(roles)`)) as { id: string }[]).map((u) => u.id);
      const text = message({ kind: 'bulletin', taskTitle: bulletin.title, taskRef: '', timezone: DEFAULT_TIMEZONE });
      published = await this.notifications.insert(tx, {
        userIds: supervisors,
        kind: 'bulletin',
        taskId: null,
        title: text.title,
        body: text.body,
        data: { bulletinId: row.id, from: bulletin.from, to: bulletin.to },
        source: `bulletin:${row.id}`,
        email: true,
      });
      return { bulletinId: row.id, created: true, notified: published.length };
    });
    await this.notifications.publish(published);
    if (outcome.created) this.logger.log(`published ${bulletin.title} to ${outcome.notified} supervisor(s)`);
    return outcome;
  }

  /**
   * 按时办结率, 满意率 and overdueOpen by Asia/Shanghai calendar month, `query.months` of them ending
   * with the current one, for the departments `caller` may read (as kpis()). One statement: each
   * month reads its closed tasks through tasks_closed_at_idx and its overdue ones through
   * tasks_overdue_span_idx, whatever the number of departments.
   */
  async trend(query: TrendQuery, caller: Caller | null = null): Promise<TrendPoint[]> {
    const reach = await reportReach(this.db, caller, query.departmentId);
    if (query.workflow) await this.runtime.named(query.workflow);
    const months = trendMonths(query.now, query.months, DEFAULT_TIMEZONE);
    const rows = (await this.db.query(TREND_SQL, trendParams(months, query.departmentId ?? null, query.workflow ?? null, reach))) as {
      month: string;
      closed: number;
      on_time: number;
      satisfied: number;
      rated: number;
      overdue_open: number;
    }[];
    return months.map((m, i) => {
      const r = rows[i]!;
      return {
        month: m.month,
        from: m.from.toISOString(),
        to: m.to.toISOString(),
        overdueAt: m.overdueAt.toISOString(),
        closed: r.closed,
        closedOnTime: r.on_time,
        onTimeRate: ratio(r.on_time, r.closed),
        satisfactionRate: ratio(r.satisfied, r.rated),
        overdueOpen: r.overdue_open,
      };
    });
  }

  /**
   * A stored monthly bulletin as it was published (its content, not today's figures), scoped as
   * the live one: `caller` (null: all) reads the rows of the departments reportReach gives it.
   */
  async storedBulletin(id: string, caller: Caller | null = null): Promise<Bulletin> {
    const [row] = await this.db.query<{ content: StoredBulletin }[]>(`SELECT content FROM bulletins WHERE id = $1`, [id]);
    if (!row) throw new BulletinNotFoundError(id);
    const ids = await reportReach(this.db, caller);
    if (ids === null) return bulletinWithin(row.content, null);
    const names = row.content.departmentIds
      ? []
      : ((await this.db.query(`SELECT name FROM departments WHERE id = ANY($1::uuid[])`, [ids])) as { name: string }[]).map((d) => d.name);
    return bulletinWithin(row.content, { ids, names });
  }

  async storedBulletins(): Promise<{ id: string; title: string; from: string; to: string; createdAt: string }[]> {
    const rows = await this.db.query<{ id: string; title: string; period_from: Date; period_to: Date; created_at: Date }[]>(
      `SELECT id, title, period_from, period_to, created_at FROM bulletins ORDER BY period_from DESC LIMIT 120`,
    );
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      from: r.period_from.toISOString(),
      to: r.period_to.toISOString(),
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** Totals from the departments' raw counts, so that every rate and the average are weighted as for one department. */
  private totals(rows: { counts: CountRow }[]): Kpis {
    const sum = Object.fromEntries(COUNT_FIELDS.map((f) => [f, rows.reduce((s, r) => s + Number(r.counts[f] ?? 0), 0)])) as Omit<CountRow, 'd' | 'name'>;
    return kpisOf(sum);
  }

  private async departmentRows(query: KpiQuery, caller: Caller | null): Promise<(DepartmentKpis & { counts: CountRow })[]> {
    if (!(query.from < query.to)) throw new InvalidInputError('to', 'must be after from');
    const reach = await reportReach(this.db, caller, query.departmentId);
    if (query.workflow) await this.runtime.named(query.workflow);
    const params: unknown[] = [query.from, query.to, query.departmentId ?? null, query.workflow ?? null, reach];
    const rows = (await this.db.query(KPI_SQL, params)) as CountRow[];
    return rankDepartments(rows.map((r) => ({ departmentId: r.d, departmentName: r.name, ...kpisOf(r), counts: r })));
  }
}

/** Over the closed tasks, alias `t`: on time (API.md: closedAt ≤ dueAt), and satisfied (满意 or 基本满意) among the rated. */
const ON_TIME = 't.closed_at <= t.due_at';

/** Closed and done: a withdrawn task (撤销, a revised plan dropped its item) is closed but counts neither as closed nor as on time. */
const DONE = `t.state <> '${WITHDRAWN_STATE.key}'`;
const SATISFIED = `t.rating IN ('satisfied', 'basically_satisfied')`;

/**
 * Overdue and open at instant `at` (API.md overdueOpen: created before it, not closed at it, due
 * before it): `at` inside (due_at, closed_at], an unbounded span while open, empty when closed
 * before the due date. Exactly the expression of tasks_overdue_span_idx, which answers it.
 */
const OVERDUE_SPAN = `tstzrange(t.due_at, CASE WHEN t.closed_at < t.due_at THEN t.due_at ELSE t.closed_at END, '(]')`;
const overdueOpenAt = (at: string) => `t.due_at IS NOT NULL AND ${OVERDUE_SPAN} @> ${at} AND t.created_at < ${at}`;

/** The department, workflow and reach conditions over tasks `t`, with the numbers of their three parameters. */
const scopeSql = (department: number, workflow: number, reach: number) =>
  `($${department}::uuid IS NULL OR t.primary_department_id = $${department}) AND ($${workflow}::text IS NULL OR t.workflow_key = $${workflow})
  AND ($${reach}::uuid[] IS NULL OR t.primary_department_id = ANY($${reach}::uuid[]))`;

const SCOPE = scopeSql(3, 4, 5);

/**
 * GET /reports/trend in one statement: per month (the arrays $1 months, $2 from, $3 to, $4 the
 * instant overdueOpen is counted at) the closed tasks and their on-time and satisfaction counts
 * as KPI_SQL's `closed` (one range of tasks_closed_at_idx per month), and overdueOpen as its
 * `overdue`: the tasks whose overdue span meets any of the instants are read once through
 * tasks_overdue_span_idx and each is counted for the instants inside its span (one pass however
 * many months, rather than one index probe per month re-reading the long-open tasks each time);
 * $5 department or null, $6 workflow or null, $7 the departments the caller may read or null for
 * all. Rows in the months' order.
 */
export const TREND_SQL = `WITH m AS (SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[])
                                WITH ORDINALITY AS m(month, month_from, month_to, overdue_at, i)),
       spans AS MATERIALIZED (
         SELECT t.created_at, ${OVERDUE_SPAN} AS span FROM tasks t
          WHERE t.due_at IS NOT NULL AND ${OVERDUE_SPAN} && tstzrange((SELECT min(overdue_at) FROM m), (SELECT max(overdue_at) FROM m), '[]')
            AND ${scopeSql(5, 6, 7)}),
       overdue AS (SELECT m.i, count(*)::int AS overdue_open FROM m JOIN spans s ON s.span @> m.overdue_at AND s.created_at < m.overdue_at GROUP BY m.i)
  SELECT m.month, c.closed, c.on_time, c.satisfied, c.rated, coalesce(o.overdue_open, 0) AS overdue_open
    FROM m
   CROSS JOIN LATERAL (SELECT count(*)::int AS closed, count(*) FILTER (WHERE ${ON_TIME})::int AS on_time,
                              count(*) FILTER (WHERE ${SATISFIED})::int AS satisfied, count(t.rating)::int AS rated
                         FROM tasks t WHERE t.closed_at >= m.month_from AND t.closed_at < m.month_to AND ${DONE} AND ${scopeSql(5, 6, 7)}) c
    LEFT JOIN overdue o ON o.i = m.i
   ORDER BY m.i`;

export function trendParams(months: TrendMonth[], departmentId: string | null, workflow: string | null, reach: string[] | null): unknown[] {
  return [months.map((m) => m.month), months.map((m) => m.from), months.map((m) => m.to), months.map((m) => m.overdueAt), departmentId, workflow, reach];
}

/**
 * The counts per primary lead department behind every KPI; $1 from, $2 to, $3 department or null,
 * $4 workflow or null, $5 the departments the caller may read or null for all.
 */
export const KPI_SQL = `WITH
         created AS (SELECT t.primary_department_id AS d, count(*)::int AS created FROM tasks t
                      WHERE t.created_at >= $1 AND t.created_at < $2 AND ${SCOPE} GROUP BY 1),
         closed AS (SELECT t.primary_department_id AS d, count(*)::int AS closed,
                           count(*) FILTER (WHERE ${ON_TIME})::int AS on_time,
                           count(*) FILTER (WHERE t.closed_early)::int AS early,
                           sum(t.handling_working_days) AS handling_sum, count(t.handling_working_days)::int AS handling_n,
                           count(*) FILTER (WHERE ${SATISFIED})::int AS satisfied,
                           count(t.rating)::int AS rated
                      FROM tasks t WHERE t.closed_at >= $1 AND t.closed_at < $2 AND ${DONE} AND ${SCOPE} GROUP BY 1),
         accepted AS (SELECT t.primary_department_id AS d, count(t.accepted_on_time)::int AS accepted,
                             count(*) FILTER (WHERE t.accepted_on_time)::int AS accepted_on_time
                        FROM tasks t WHERE t.accepted_at >= $1 AND t.accepted_at < $2 AND ${SCOPE} GROUP BY 1),
         happened AS (SELECT e.department_id AS d,
                             count(*) FILTER (WHERE e.kind = 'yellow_card')::int AS yellow,
                             count(*) FILTER (WHERE e.kind = 'red_card')::int AS red,
                             count(*) FILTER (WHERE e.kind = 'extension')::int AS extensions,
                             count(*) FILTER (WHERE e.kind = 'return')::int AS returns,
                             count(*) FILTER (WHERE e.kind = 'urge')::int AS urges
                        FROM task_events e
                       WHERE e.at >= $1 AND e.at < $2 AND e.withdrawn_at IS NULL AND ($3::uuid IS NULL OR e.department_id = $3)
                         AND ($5::uuid[] IS NULL OR e.department_id = ANY($5::uuid[]))
                         AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM tasks t WHERE t.id = e.task_id AND t.workflow_key = $4)) GROUP BY 1),
         overdue AS (SELECT t.primary_department_id AS d, count(*)::int AS overdue_open FROM tasks t
                      WHERE ${overdueOpenAt('$2::timestamptz')} AND ${SCOPE} GROUP BY 1)
       SELECT d, dep.name, created, closed, on_time, early, handling_sum, handling_n, satisfied, rated, accepted, accepted_on_time,
              yellow, red, extensions, returns, overdue_open, urges
         FROM created FULL JOIN closed USING (d) FULL JOIN accepted USING (d) FULL JOIN happened USING (d) FULL JOIN overdue USING (d)
         JOIN departments dep ON dep.id = d`;

/** [first of last month, first of this month) in the zone. */
export function previousMonth(now: Date, timezone: string): { from: Date; to: Date } {
  const { year, month } = localParts(now, timezone);
  const zone = new ZoneOffsets(timezone);
  const startOf = (y: number, m: number) => new Date(zone.toUtc(Date.UTC(y, m - 1, 1)));
  return { from: startOf(month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1), to: startOf(year, month) };
}
