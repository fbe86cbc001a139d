import type { BusinessCalendar } from '@duban/calendar';
import { acceptanceDueAt, type TaskPriority, type WorkflowDefinition } from '@duban/engine';

/**
 * What the reports count about a task, fixed on the task's own calendar (working days, 调休)
 * when it happens: by a live transition and by the history import alike.
 */

/** Citizens' (or deputies') ratings, as API.md spells them. */
export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

export interface AcceptanceFacts {
  accepted_at: Date;
  /** Within the initial state's SLA from creation (the urgent limit for an urgent task); null when the workflow sets none. */
  accepted_on_time: boolean | null;
}

/** 签收: when the task was accepted and whether that was on time (签收及时率). */
export function acceptanceFacts(
  definition: WorkflowDefinition,
  calendar: BusinessCalendar,
  task: { created_at: Date; priority: TaskPriority },
  acceptedAt: Date,
): AcceptanceFacts {
  const limit = acceptanceDueAt(definition, task.created_at, calendar, task.priority);
  return { accepted_at: acceptedAt, accepted_on_time: limit ? acceptedAt.getTime() <= limit.getTime() : null };
}

export interface ClosingFacts {
  closed_at: Date;
  /** Working time from creation to closing less the time suspended, in working days of the calendar. */
  handling_working_days: number;
  /** Closed on a calendar day (in the calendar's zone) before the due day; null without a due date. */
  closed_early: boolean | null;
}

/** 办结: handling time in working days and whether it closed early (提前办结率). */
export function closingFacts(
  calendar: BusinessCalendar,
  task: { created_at: Date; paused_working_ms: number; due_at: Date | null },
  closedAt: Date,
): ClosingFacts {
  const handling = Math.max(0, calendar.workingTimeBetween(task.created_at, closedAt) - task.paused_working_ms);
  return {
    closed_at: closedAt,
    handling_working_days: handling / calendar.dayLengthMs,
    closed_early: task.due_at ? calendar.localDate(closedAt) < calendar.localDate(task.due_at) : null,
  };
}

/** A reopened task (重办) is open again: its closing facts are void until it closes anew. */
export const REOPENED = { closed_at: null, handling_working_days: null, closed_early: null } as const;

/** A task neither accepted nor closed yet. */
export const NO_FACTS_YET = { ...REOPENED, accepted_at: null, accepted_on_time: null } as const;
