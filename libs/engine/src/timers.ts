import type { BusinessCalendar } from '@duban/calendar';
import type { Card, TaskPriority, TaskRole, WorkflowDefinition } from './definition.js';
import { stateOf } from './definition.js';

export type TimerKind = 'reminder' | 'overdue' | 'escalation' | 'sla_breach' | 'progress';

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
}

/** The due date that counts: the set one, moved on by the working time the clock was paused. */
export function effectiveDueAt(task: Pick<TimerTask, 'dueAt' | 'pausedWorkingMs'>, calendar: BusinessCalendar): Date | null {
  if (!task.dueAt) return null;
  return task.pausedWorkingMs > 0 ? calendar.addWorkingTime(task.dueAt, task.pausedWorkingMs) : task.dueAt;
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
 * escalation levels after it, the state's SLA from entering it, and the next progress request.
 * Pure: the same definition, task, calendar and `now` give the same timers with the same keys.
 */
export function planTimers(definition: WorkflowDefinition, task: TimerTask, calendar: BusinessCalendar, now: Date): PlannedTimer[] {
  const state = stateOf(definition, task.state);
  if (!state || state.terminal) return [];
  const timers: PlannedTimer[] = [];

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
  if (due) {
    const d = stamp(due);
    (definition.reminders ?? []).forEach((reminder, i) => {
      timers.push({ key: `reminder:${i}:${d}`, kind: 'reminder', dueAt: calendar.subtract(due, reminder.before), notify: reminder.notify });
    });
    timers.push({ key: `overdue:${d}`, kind: 'overdue', dueAt: due, notify: ['owner'] });
    for (const escalation of definition.escalations ?? []) {
      timers.push({
        key: `escalation:${escalation.level}:${d}`,
        kind: 'escalation',
        dueAt: calendar.add(due, escalation.after),
        notify: escalation.notify,
        level: escalation.level,
        ...(escalation.card ? { card: escalation.card } : {}),
      });
    }
  }

  if (definition.progress && !state.pauseClock) {
    const next = nextProgressRequest(definition.progress, task.createdAt, calendar, now);
    if (next) timers.push({ key: `progress:${next.date}`, kind: 'progress', dueAt: next.at, notify: definition.progress.notify });
  }
  return timers.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.key.localeCompare(b.key));
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
