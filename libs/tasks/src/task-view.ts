import { type BusinessCalendar, timeLeft } from '@duban/calendar';
import type { TaskCard, TaskPriority } from '@duban/db';
import { BUILT_IN_ACTS, isBuiltInAct, stateOf, type WorkflowDefinition } from '@duban/engine';
import type { TaskOwnerRow, TaskRow } from './task-row.js';
import type { ChildrenSummary, ParentRef, TaskFamily } from './task-family.js';

/** An owning department with its name, as the console shows it (主办/协办). */
export interface TaskOwnerView extends TaskOwnerRow {
  departmentName: string;
}

/** An action the caller may take now, with the button's label and the inputs its form asks for. */
export interface TaskActionView {
  action: string;
  /** The transition's label (default: the action), or the built-in act's (催办, 亮牌, 撤销亮牌). */
  label: string;
  /** The transition's `requires` (comment, rating, dueAt, progress, assignee), or the act's (`card` is its colour). */
  requires: string[];
}

/** The working time left until the due date, in the words of the console (`剩余 2 个工作日`, `已逾期 3 个工作日`). */
export interface TaskTimeLeft {
  overdue: boolean;
  /** Whole working days left, or past the due date when overdue. */
  workingDays: number;
  words: string;
}

/** Names a view shows instead of ids, read for a whole page at once: department and user id → name. */
export interface TaskNames {
  departments: ReadonlyMap<string, string>;
  users: ReadonlyMap<string, string>;
}

/** What a view needs of the task's pinned workflow version: labels from its definition, time from its calendar. */
export interface ViewWorkflow {
  definition: WorkflowDefinition;
  calendar: BusinessCalendar;
}

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
  /** The workflow's name (12345热线工单). */
  workflowName: string;
  title: string;
  body: string | null;
  state: string;
  /** The state's label in the task's workflow version (待签收); the key when the state has none. */
  stateLabel: string;
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
  /** The assignee's display name; null without an assignee. */
  assigneeName: string | null;
  dueAt: string | null;
  /** The due date a pending extension request asks for; null when none. */
  requestedDueAt: string | null;
  /** Null when the task has no due date, is closed or its clock is paused. */
  timeLeft: TaskTimeLeft | null;
  /** The IANA zone of the task's calendar, in which its dates are shown. */
  timezone: string;
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
  /** allowedActions in the same order, each with its label and the inputs it requires. */
  actions: TaskActionView[];
  /** Whether this caller may split the task among the departments below its own now (分解, children.ts maySplit). */
  canSplit: boolean;
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

/** What the light needs of a task's calendar: working time in [a, b), and an instant that much working time away. */
export type WorkingClock = Pick<BusinessCalendar, 'workingTimeBetween' | 'addWorkingTime'>;

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

/** The columns the light is decided on at a given instant, its calendar's part already in `yellow_from`. */
export type LightColumns = Pick<TaskRow, 'closed_at' | 'paused_since' | 'due_at' | 'card' | 'yellow_from'>;

/**
 * The traffic light (红黄绿灯) at `now`: red when overdue or red-carded; yellow when a yellow card is
 * out or, open and not paused, past `yellow_from` (see yellowFromOf); green otherwise. Pure and
 * calendar-free, so that GET /tasks?light= (lightSql in task-list.ts, the same three tests over
 * the same columns) and every view agree on each task.
 */
export function lightAt(row: LightColumns, now: Date): TaskView['light'] {
  if (row.card === 'red' || isOverdue(row, now)) return 'red';
  if (row.card === 'yellow') return 'yellow';
  const running = row.closed_at === null && row.paused_since === null;
  return running && row.yellow_from !== null && row.yellow_from.getTime() < now.getTime() ? 'yellow' : 'green';
}

/**
 * The instant after which an open task's light turns yellow for lack of time: from then on less
 * than a fifth of the working time it was allowed (creation to due date, less the time it spent
 * suspended) remains. Time is counted on the task's calendar: a 5-working-day ticket turns yellow
 * with one working day left, on the Friday, not after the weekend. A deadline inside one stretch
 * of off-hours (minutes, set at night) is counted on the clock. Null without a due date, or when
 * none was allowed. Stored as tasks.yellow_from whenever the due date or the paused time changes
 * and when the calendar's days change (re-plan), so that lists filter on it in SQL.
 * @returns yellow at `now` iff `now` is later than the result (and the task runs).
 */
export function yellowFromOf(row: Pick<TaskRow, 'created_at' | 'due_at' | 'paused_working_ms'>, clock: WorkingClock): Date | null {
  if (row.due_at === null) return null;
  const allowed = clock.workingTimeBetween(row.created_at, row.due_at) - row.paused_working_ms;
  // Remaining time r (whole milliseconds) is short when r < allowed / 5, i.e. r < ceil(allowed / 5).
  if (allowed > 0) return clock.addWorkingTime(row.due_at, -Math.ceil(allowed / 5));
  const natural = row.due_at.getTime() - row.created_at.getTime();
  return natural > 0 ? new Date(row.due_at.getTime() - Math.ceil(natural / 5)) : null;
}

/** The light of a task at `now`, its yellow boundary counted afresh on `clock` (plan roll-ups). */
export function lightOf(
  row: Pick<TaskRow, 'closed_at' | 'paused_since' | 'due_at' | 'card' | 'created_at' | 'paused_working_ms'>,
  now: Date,
  clock: WorkingClock,
): TaskView['light'] {
  return lightAt({ ...row, yellow_from: yellowFromOf(row, clock) }, now);
}

/**
 * The action as a button and its form show it: a built-in act (isBuiltInAct) from BUILT_IN_ACTS,
 * else the definition's transition from this state (or, failing that, any of that name).
 */
export function actionView(definition: WorkflowDefinition, state: string, action: string): TaskActionView {
  if (isBuiltInAct(action)) return { action, label: BUILT_IN_ACTS[action].label, requires: [...BUILT_IN_ACTS[action].requires] };
  const named = definition.transitions.filter((t) => t.action === action);
  const transition = named.find((t) => t.from.includes(state)) ?? named[0];
  return { action, label: transition?.label ?? action, requires: [...(transition?.requires ?? [])] };
}

/** The time left on the task's calendar while its clock runs: null without a due date, once closed or while paused. */
export function timeLeftOf(row: Pick<TaskRow, 'closed_at' | 'paused_since' | 'due_at'>, now: Date, calendar: BusinessCalendar): TaskTimeLeft | null {
  if (row.due_at === null || row.closed_at !== null || row.paused_since !== null) return null;
  const left = timeLeft(row.due_at, now, calendar);
  return { overdue: left.overdue, workingDays: left.workingDays, words: left.words };
}

/**
 * The task as API.md and UI.md show it: the row, what the caller may do (`allowedActions`, in
 * order), labels from the pinned definition, names from `names`, time on the task's calendar.
 */
export function toTaskView(
  row: TaskRow,
  allowedActions: string[],
  now: Date,
  { definition, calendar }: ViewWorkflow,
  names: TaskNames,
  family: TaskFamily,
): Omit<TaskView, 'canSplit'> {
  return {
    id: row.id,
    ref: row.ref,
    workflow: row.workflow_key,
    workflowVersion: row.workflow_version,
    workflowName: definition.name,
    title: row.title,
    body: row.body,
    state: row.state,
    stateLabel: stateOf(definition, row.state)?.label ?? row.state,
    // A department is never deleted while a task names it (foreign key): the id stands in only in theory.
    owners: row.owners.map((o) => ({ ...o, departmentName: names.departments.get(o.departmentId) ?? o.departmentId })),
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
    assigneeName: row.assignee_id === null ? null : (names.users.get(row.assignee_id) ?? null),
    dueAt: row.due_at?.toISOString() ?? null,
    requestedDueAt: row.requested_due_at?.toISOString() ?? null,
    timeLeft: timeLeftOf(row, now, calendar),
    timezone: calendar.timezone,
    calendarWarning: calendarWarningOf(row, calendar),
    overdue: isOverdue(row, now),
    card: row.card,
    light: lightAt(row, now),
    progress: row.progress,
    escalationLevel: row.escalation_level,
    data: row.data,
    version: row.version,
    allowedActions,
    actions: allowedActions.map((action) => actionView(definition, row.state, action)),
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
