import type { BusinessCalendar } from '@duban/calendar';
import type { TaskCard, TaskPriority } from '@duban/db';
import type { TaskOwnerRow, TaskRow } from './task-row.js';
import type { ChildrenSummary, ParentRef, TaskFamily } from './task-family.js';

export type TaskOwnerView = TaskOwnerRow;

/** A co-unit's opinion (会办意见) as the lead unit reads it on the task. */
export interface CoOpinionView {
  departmentId: string;
  departmentName: string;
  at: string;
  comment: string;
  attachmentIds: string[];
}

/** A task as API.md shows it (GET /tasks/:id and each list item). */
export interface TaskView {
  id: string;
  ref: string;
  workflow: string;
  workflowVersion: number;
  title: string;
  body: string | null;
  state: string;
  owners: TaskOwnerView[];
  /** The co-units that have given their opinion, oldest first; the co owners not listed have not. */
  coOpinions: CoOpinionView[];
  parentId: string | null;
  /** The task this one was split from (分解), by number and title; null for a task without a parent. */
  parent: ParentRef | null;
  /** Its children's count, lights and mean progress. */
  children: ChildrenSummary;
  externalRef: string | null;
  priority: TaskPriority;
  assigneeId: string | null;
  dueAt: string | null;
  /** The due date a pending extension request asks for; null when none. */
  requestedDueAt: string | null;
  /** Set when the due date was counted across a year the task's calendar has no schedule for. */
  calendarWarning: CalendarWarning | null;
  overdue: boolean;
  card: TaskCard | null;
  light: 'green' | 'yellow' | 'red';
  progress: number | null;
  escalationLevel: number;
  data: Record<string, unknown>;
  version: number;
  allowedActions: string[];
  createdAt: string;
  closedAt: string | null;
}

/** The due date of a task may be wrong: its working time crosses a year without holiday data. */
export interface CalendarWarning {
  code: 'calendar-year-missing';
  /** Those years, ascending. */
  missingYears: number[];
  message: string;
}

/** Overdue: open, not paused, and past its due date. */
export function isOverdue(row: Pick<TaskRow, 'closed_at' | 'paused_since' | 'due_at'>, now: Date): boolean {
  return row.closed_at === null && row.paused_since === null && row.due_at !== null && row.due_at.getTime() < now.getTime();
}

/** What the light needs of a task's calendar: working time in [a, b). */
export type WorkingClock = Pick<BusinessCalendar, 'workingTimeBetween'>;

/** What a task's view needs of its calendar: the light's working time, and the years it has no schedule for. */
export type TaskClock = WorkingClock & Pick<BusinessCalendar, 'missingYears'>;

/**
 * The warning a task carries when its working time, from its creation to its due date (where
 * its due date was counted from, or later), crosses a year its calendar has no schedule for:
 * there holidays count as worked, so the due date may come too early. It goes when the year is
 * loaded.
 */
export function calendarWarningOf(row: Pick<TaskRow, 'created_at' | 'due_at'>, clock: Pick<BusinessCalendar, 'missingYears'>): CalendarWarning | null {
  if (row.due_at === null) return null;
  const missingYears = clock.missingYears(row.created_at, row.due_at);
  if (missingYears.length === 0) return null;
  return {
    code: 'calendar-year-missing',
    missingYears,
    message: `期限跨越了工作日历尚无节假日安排的年份（${yearRuns(missingYears)}），其间节假日按工作日计算，期限可能不准确。`,
  };
}

/** Ascending years as a reader takes them in: "2027年", "2027、2029年", "2027–2099年". */
function yearRuns(years: number[]): string {
  const runs: [number, number][] = [];
  for (const year of years) {
    const last = runs[runs.length - 1];
    if (last && last[1] === year - 1) last[1] = year;
    else runs.push([year, year]);
  }
  return `${runs.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join('、')}年`;
}

/**
 * The traffic light (红黄绿灯): red when overdue or red-carded; yellow when a yellow card is
 * out or less than a fifth of the allowed time remains; green otherwise. Time is counted on the
 * task's calendar: a 5-working-day ticket turns yellow with one working day left, on the Friday,
 * not after the weekend; time spent suspended is not part of what was allowed.
 */
export function lightOf(
  row: Pick<TaskRow, 'closed_at' | 'paused_since' | 'due_at' | 'card' | 'created_at' | 'paused_working_ms'>,
  now: Date,
  clock: WorkingClock,
): TaskView['light'] {
  if (row.card === 'red' || isOverdue(row, now)) return 'red';
  if (row.card === 'yellow') return 'yellow';
  if (row.closed_at === null && row.paused_since === null && row.due_at !== null) {
    const allowed = clock.workingTimeBetween(row.created_at, row.due_at) - row.paused_working_ms;
    if (allowed > 0) {
      if (clock.workingTimeBetween(now, row.due_at) < allowed * 0.2) return 'yellow';
    } else {
      // A deadline inside one stretch of off-hours (minutes, set at night): the clock's time.
      const natural = row.due_at.getTime() - row.created_at.getTime();
      if (natural > 0 && row.due_at.getTime() - now.getTime() < natural * 0.2) return 'yellow';
    }
  }
  return 'green';
}

export function toTaskView(row: TaskRow, allowedActions: string[], now: Date, clock: TaskClock, family: TaskFamily): TaskView {
  return {
    id: row.id,
    ref: row.ref,
    workflow: row.workflow_key,
    workflowVersion: row.workflow_version,
    title: row.title,
    body: row.body,
    state: row.state,
    owners: row.owners,
    coOpinions: row.co_opinions.map((o) => ({
      departmentId: o.departmentId,
      departmentName: o.departmentName,
      at: new Date(o.at).toISOString(),
      comment: o.comment,
      attachmentIds: o.attachmentIds,
    })),
    parentId: row.parent_id,
    parent: family.parent,
    children: family.children,
    externalRef: row.external_ref,
    priority: row.priority,
    assigneeId: row.assignee_id,
    dueAt: row.due_at?.toISOString() ?? null,
    requestedDueAt: row.requested_due_at?.toISOString() ?? null,
    calendarWarning: calendarWarningOf(row, clock),
    overdue: isOverdue(row, now),
    card: row.card,
    light: lightOf(row, now, clock),
    progress: row.progress,
    escalationLevel: row.escalation_level,
    data: row.data,
    version: row.version,
    allowedActions,
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
