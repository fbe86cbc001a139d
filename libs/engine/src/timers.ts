import { type BusinessCalendar, isWorkingDuration } from '@duban/calendar';
import type { Card, StateDefinition, TaskPriority, TaskRole, WorkflowDefinition } from './definition.js';
import { stateOf } from './definition.js';

export type TimerKind = 'reminder' | 'overdue' | 'escalation' | 'sla_breach' | 'progress' | 'callback' | 'co_opinion_reminder' | 'co_opinion_late';

export interface PlannedTimer {
  /**
   * Stable for the same facts: it names the due date or state entry it derives from, so a
   * re-plan after an unrelated change finds the timer it already has (or already fired), and
   * a new due date (an extension) gives new timers.
   */
  key: string;
  kind: TimerKind;
  dueAt: Date;
  notify: TaskRole[];
  level?: number;
  card?: Card;
}

/** The facts of a task that its timers depend on. */
export interface TimerTask {
  state: string;
  createdAt: Date;
  /** When the task entered its current state. */
  stateEnteredAt: Date;
  /** The due date as set at creation or by the last extension; null when the task has none. */
  dueAt: Date | null;
  /** Working time spent in pauseClock states since that due date was set. */
  pausedWorkingMs: number;
  /** Urgent tasks take the definition's `urgent` limits. */
  priority?: TaskPriority;
  /** When the task was last rated (回访): a rating given since entering the state is its call-back. */
  ratedAt?: Date | null;
  /** How many co-units (会办单位) have not given their opinion yet; none are awaited when absent or 0. */
  coOpinionsOwed?: number;
}

/** The due date that counts: the set one, moved on by the working time the clock was paused (movedDueAt). */
export function effectiveDueAt(task: Pick<TimerTask, 'dueAt' | 'pausedWorkingMs'>, calendar: BusinessCalendar): Date | null {
  return task.dueAt ? movedDueAt(task.dueAt, task.pausedWorkingMs, calendar) : null;
}

/**
 * A due date moved on by `pausedMs` of working time (DESIGN.md, SLA pause): live when a task is
 * resumed, and for an imported task's `pausedWorkingMs`. Paused time that runs out with a working
 * period ends there, on its day: due Friday 17:30 and paused a working day is due Monday 17:30,
 * not Tuesday 08:30 (the same working time, but another day for "closed early"); a due date at the
 * end of a day (`Nwde`, 23:59:59) stays at the end of a day when the pause used up whole days.
 */
export function movedDueAt(dueAt: Date, pausedMs: number, calendar: BusinessCalendar): Date {
  if (pausedMs <= 0) return dueAt;
  // One millisecond short of the paused time is inside a working period; the last one ends it.
  const reached = new Date(calendar.addWorkingTime(dueAt, pausedMs - 1).getTime() + 1);
  if (!calendar.isEndOfDay(dueAt)) return reached;
  const dayDone = calendar.localDate(calendar.nextWorkingInstant(reached)) !== calendar.localDate(reached);
  return dayDone ? calendar.add(reached, '0wde') : reached;
}

/** The due date a new task gets from its definition's `deadline`, unless it brings its own. */
export function initialDueAt(definition: WorkflowDefinition, createdAt: Date, calendar: BusinessCalendar, priority: TaskPriority = 'normal'): Date | null {
  const deadline = (priority === 'urgent' ? definition.urgent?.deadline : undefined) ?? definition.deadline;
  return deadline ? calendar.add(createdAt, deadline) : null;
}

/**
 * By when a new task must be accepted (签收): its initial state's SLA from creation, the urgent
 * limit for an urgent task; null when the workflow sets none. The reports' 签收及时率 counts against it.
 */
export function acceptanceDueAt(definition: WorkflowDefinition, createdAt: Date, calendar: BusinessCalendar, priority: TaskPriority = 'normal'): Date | null {
  const initial = definition.states.find((s) => s.initial);
  const limit = initial?.sla ? ((priority === 'urgent' ? definition.urgent?.sla?.[initial.key] : undefined) ?? initial.sla.limit) : undefined;
  return limit ? calendar.add(createdAt, limit) : null;
}

const stamp = (d: Date) => d.toISOString();

/**
 * Every timer the task's current state implies: reminders before the due date, the deadline,
 * escalation levels after it, the state's SLA from entering it, the next progress request, the
 * co-units' opinion reminders and late notice while some owe theirs (coOpinionTimers), and
 * in a state with a call-back (回访) its deadline unless the task was rated since entering it.
 * A terminal state implies only its call-back. Notices land at working instants (dueNotices).
 * Pure: the same definition, task, calendar and `now` give the same timers with the same keys.
 */
export function planTimers(definition: WorkflowDefinition, task: TimerTask, calendar: BusinessCalendar, now: Date): PlannedTimer[] {
  const state = stateOf(definition, task.state);
  if (!state) return [];
  const timers: PlannedTimer[] = [];
  const callback = callbackTimer(state, task, calendar);
  if (callback) timers.push(callback);
  if (state.terminal) return timers;
  timers.push(...coOpinionTimers(definition, task, calendar));

  if (state.sla) {
    timers.push({
      key: `sla:${state.key}:${stamp(task.stateEnteredAt)}`,
      kind: 'sla_breach',
      dueAt: calendar.add(task.stateEnteredAt, (task.priority === 'urgent' ? definition.urgent?.sla?.[state.key] : undefined) ?? state.sla.limit),
      notify: state.sla.breach.notify,
      ...(state.sla.breach.card ? { card: state.sla.breach.card } : {}),
    });
  }

  // While the clock is paused the due date is not known yet: it moves with every paused minute.
  const due = state.pauseClock ? null : effectiveDueAt(task, calendar);
  if (due) timers.push(...dueNotices(definition, due, calendar));

  if (definition.progress && !state.pauseClock) {
    const next = nextProgressRequest(definition.progress, task.createdAt, calendar, now);
    if (next) timers.push({ key: `progress:${next.date}`, kind: 'progress', dueAt: next.at, notify: definition.progress.notify });
  }
  return timers.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.key.localeCompare(b.key));
}

/**
 * When the co-units' opinions (会办意见) are due: the definition's `coOpinions.within` from the
 * task's creation (its assignment); null when the workflow awaits none.
 */
export function coOpinionsDueAt(definition: WorkflowDefinition, createdAt: Date, calendar: BusinessCalendar): Date | null {
  return definition.coOpinions ? calendar.add(createdAt, definition.coOpinions.within) : null;
}

/**
 * The co-opinion reminders and the late notice, while some co-unit owes its opinion and the task
 * is in a state the co-opinion action leaves from (after the reply nobody is asked any more).
 * Reminders land at working instants as the due date's do (reminderAt); the late notice of an
 * end-of-day due date at the start of the next working period. Keys name the due date, which is
 * fixed by the creation: a re-plan finds the timers it has or already fired.
 */
function coOpinionTimers(definition: WorkflowDefinition, task: TimerTask, calendar: BusinessCalendar): PlannedTimer[] {
  const co = definition.coOpinions;
  if (!co || !task.coOpinionsOwed || task.coOpinionsOwed <= 0) return [];
  if (!definition.transitions.some((t) => t.action === co.action && t.from.includes(task.state))) return [];
  const due = coOpinionsDueAt(definition, task.createdAt, calendar)!;
  const d = stamp(due);
  const endOfDay = calendar.isEndOfDay(due);
  const timers: PlannedTimer[] = (co.reminders ?? []).map((reminder, i) => ({
    key: `co_opinion:reminder:${i}:${d}`,
    kind: 'co_opinion_reminder',
    dueAt: reminderAt(due, reminder.before, endOfDay, calendar),
    notify: reminder.notify,
  }));
  if (co.late) {
    timers.push({ key: `co_opinion:late:${d}`, kind: 'co_opinion_late', dueAt: endOfDay ? calendar.nextWorkingInstant(due) : due, notify: co.late.notify });
  }
  return timers;
}

/** The call-back (回访) deadline of a state that has one, unless a rating came since entering it. */
function callbackTimer(state: StateDefinition, task: TimerTask, calendar: BusinessCalendar): PlannedTimer | null {
  if (!state.callback) return null;
  if (task.ratedAt && task.ratedAt.getTime() >= task.stateEnteredAt.getTime()) return null;
  return {
    key: `callback:${state.key}:${stamp(task.stateEnteredAt)}`,
    kind: 'callback',
    dueAt: calendar.add(task.stateEnteredAt, state.callback.within),
    notify: state.callback.notify,
  };
}

/**
 * The reminders, the overdue notice and the escalations of a due date, at working instants:
 * - a reminder counted in working time (`1wd` before), or before an end-of-day due date, goes out
 *   at the start of the next working period when its instant falls outside working hours (a
 *   reminder 1wd before Friday 23:59:59 comes Friday 08:30, not Thursday at midnight), and when
 *   no working time is left before the due date, at the end of the last working period;
 * - the overdue notice and the escalations of an end-of-day due date go out at the start of the
 *   next working period after their instant, unless the definition says `lateNotices: "exact"`.
 * Natural-time rules about other due dates keep their instant: `30m` means the clock's 30 minutes.
 */
export function dueNotices(definition: WorkflowDefinition, due: Date, calendar: BusinessCalendar): PlannedTimer[] {
  const d = stamp(due);
  const endOfDay = calendar.isEndOfDay(due);
  const late = (at: Date) => (endOfDay && definition.lateNotices !== 'exact' ? calendar.nextWorkingInstant(at) : at);
  const timers: PlannedTimer[] = (definition.reminders ?? []).map((reminder, i) => ({
    key: `reminder:${i}:${d}`,
    kind: 'reminder',
    dueAt: reminderAt(due, reminder.before, endOfDay, calendar),
    notify: reminder.notify,
    ...(reminder.card ? { card: reminder.card } : {}),
  }));
  timers.push({ key: `overdue:${d}`, kind: 'overdue', dueAt: late(due), notify: ['owner'] });
  for (const escalation of definition.escalations ?? []) {
    timers.push({
      key: `escalation:${escalation.level}:${d}`,
      kind: 'escalation',
      dueAt: late(calendar.add(due, escalation.after)),
      notify: escalation.notify,
      level: escalation.level,
      ...(escalation.card ? { card: escalation.card } : {}),
    });
  }
  return timers;
}

/** When a reminder `before` the due date goes out (see dueNotices). */
function reminderAt(due: Date, before: string, endOfDay: boolean, calendar: BusinessCalendar): Date {
  const nominal = calendar.subtract(due, before);
  if (!endOfDay && !isWorkingDuration(before)) return nominal;
  const next = calendar.nextWorkingInstant(nominal);
  return next.getTime() < due.getTime() ? next : calendar.workingEndBefore(nominal);
}

/**
 * The next progress request after `now` (and after creation): on the given day of the month or
 * week, at the start of work, or the next working morning when that day is off.
 */
function nextProgressRequest(
  progress: NonNullable<WorkflowDefinition['progress']>,
  createdAt: Date,
  calendar: BusinessCalendar,
  now: Date,
): { date: string; at: Date } | null {
  const after = Math.max(now.getTime(), createdAt.getTime());
  const today = calendar.localDate(new Date(after));
  const [y, m] = today.split('-').map(Number) as [number, number];
  const candidates: string[] = [];
  if (progress.every === 'month') {
    for (let k = 0; k < 3; k++) {
      const month = new Date(Date.UTC(y, m - 1 + k, progress.day));
      candidates.push(month.toISOString().slice(0, 10));
    }
  } else {
    const base = Date.parse(`${today}T00:00:00Z`);
    for (let k = 0; k < 15; k++) {
      const day = new Date(base + k * 86_400_000);
      const isoWeekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
      if (isoWeekday === progress.day) candidates.push(day.toISOString().slice(0, 10));
    }
  }
  for (const date of candidates) {
    const at = calendar.nextWorkingInstant(calendar.startOfDay(date));
    if (at.getTime() > after) return { date, at };
  }
  return null;
}
