import { nextLink } from '@duban/audit';
import type { BusinessCalendar } from '@duban/calendar';
import { planTimers, stateOf, type WorkflowDefinition } from '@duban/engine';
import type { TaskRow } from './task-row.js';
import { coOpinionsOwed } from './transition.js';
import type { TaskUpdate } from './task-writes.js';

/** A live (pending or enqueued) timer of a task, as a re-plan reads it. */
export interface LiveTimer {
  key: string;
  due_at: Date;
}

/** What a re-plan records as its cause on the audit trail: the calendar whose days changed. */
export interface ReplanCause {
  calendar: string;
}

/**
 * A task's live timers planned again on its calendar as it is now (after a holiday was added, a
 * make-up workday removed, …): each live timer whose key the plan still has at another instant
 * moves there; the others, and the task itself, stay as they are (a re-plan adds and cancels
 * nothing: which timers a task has is its transitions' business). The timers are planned from
 * the same facts as the task's last transition planned them (state, state entry, due date, the
 * pause clock, priority, the co-units' opinions given), so only the calendar can move them.
 * @returns the update to write (an audit link `replanned` listing each move `{key, from, to}`,
 *   actor `system`, no version bump), or null when no timer moved. Pure.
 * Source: issue 15, point 3.
 */
export function replannedTimers(
  row: TaskRow,
  live: readonly LiveTimer[],
  workflow: { definition: WorkflowDefinition; calendar: BusinessCalendar },
  cause: ReplanCause,
  now: Date,
): TaskUpdate | null {
  const state = stateOf(workflow.definition, row.state);
  if (!state) return null;
  const planned = new Map(
    planTimers(
      workflow.definition,
      {
        state: row.state,
        createdAt: row.created_at,
        stateEnteredAt: row.state_entered_at,
        dueAt: state.pauseClock ? null : row.due_at,
        pausedWorkingMs: 0,
        priority: row.priority,
        ratedAt: row.rated_at,
        coOpinionsOwed: coOpinionsOwed(row, row.co_opinions),
      },
      workflow.calendar,
      now,
    ).map((t) => [t.key, t]),
  );
  const moves = live.flatMap((timer) => {
    const to = planned.get(timer.key)?.dueAt;
    return to && to.getTime() !== timer.due_at.getTime() ? [{ key: timer.key, from: timer.due_at, to }] : [];
  });
  if (moves.length === 0) return null;
  const link = nextLink(row.audit_hash ? { seq: row.audit_seq, hash: row.audit_hash } : null, {
    taskId: row.id,
    at: now,
    actorId: null,
    actorRole: 'system',
    action: 'replanned',
    fromState: row.state,
    toState: row.state,
    data: { ...cause, timers: moves.map((m) => ({ key: m.key, from: m.from.toISOString(), to: m.to.toISOString() })) },
    requestId: null,
  });
  return {
    id: row.id,
    changes: {},
    versionBump: 0,
    links: [link],
    events: [],
    facts: [],
    timers: { move: moves.map((m) => ({ key: m.key, dueAt: m.to })) },
  };
}
