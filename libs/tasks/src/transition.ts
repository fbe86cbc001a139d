import { nextLink } from '@duban/audit';
import type { BusinessCalendar } from '@duban/calendar';
import {
  type ActionClock,
  type ActionInput,
  latestDueAt,
  movedDueAt,
  planTimers,
  type RequirableInput,
  type StateDefinition,
  stateOf,
  type TransitionDefinition,
  type WorkflowDefinition,
} from '@duban/engine';
import { InvalidInputError } from '@duban/http';
import { ExtensionTooLongError } from './errors.js';
import { acceptanceFacts, closingFacts, RATINGS, REOPENED } from './task-facts.js';
import type { TaskChanges, TaskRow } from './task-row.js';
import { yellowFromOf } from './task-view.js';
import type { NewOutboxEvent, TaskFact, TaskUpdate } from './task-writes.js';

/** Who acts, as the audit trail names them: a user and their roles, or the system (timers). */
export interface Actor {
  id: string | null;
  role: string;
}

/** A transition the engine allowed (decide), with everything its application needs. */
export interface DecidedTransition {
  definition: WorkflowDefinition;
  calendar: BusinessCalendar;
  /** The task as locked for the write. */
  row: TaskRow;
  transition: TransitionDefinition;
  /** Where the task goes: the transition's `to`, or a rating branch's. */
  to: string;
  action: string;
  input: ActionInput;
  /** For a transition requiring an assignee: whether that user belongs to an owning department (read by the caller). */
  assigneeOwns?: boolean;
  /** Files of the task the action carries, checked by the caller; recorded in the audit entry. */
  attachmentIds?: readonly string[];
  actor: Actor;
  requestId: string | null;
  /** The instant of the transition, to the millisecond. */
  now: Date;
}

export interface AppliedTransition {
  /** The row as it is after the write. */
  row: TaskRow;
  update: TaskUpdate;
}

const INPUT_REQUIREMENT = [
  ['dueAt', 'dueAt'],
  ['rating', 'rating'],
  ['progress', 'progress'],
  ['assigneeId', 'assignee'],
] as const satisfies readonly (readonly [keyof ActionInput, RequirableInput])[];

/**
 * Applies a decided transition to a task row: the pause clock, an extension, progress, rating,
 * assignee, the files it carries, the closing and acceptance facts, the events and report facts it causes, the timers
 * its new state implies and its audit link. Pure: the same arguments give the same result.
 * @throws InvalidInputError (400) for an input the transition does not take or a value out of range;
 *   ExtensionTooLongError (400, dueAt) for a new due date past the transition's `maxExtension`.
 */
export function applyTransition(t: DecidedTransition): AppliedTransition {
  const requires = new Set(t.transition.requires ?? []);
  for (const [field, requirement] of INPUT_REQUIREMENT) {
    if (t.input[field] !== undefined && t.input[field] !== null && !requires.has(requirement)) {
      throw new InvalidInputError(field, `"${t.action}" does not take ${field}`);
    }
  }
  const from = stateOf(t.definition, t.row.state)!;
  const to = stateOf(t.definition, t.to)!;
  const audit: Record<string, unknown> = t.input.comment ? { comment: t.input.comment } : {};
  if (t.attachmentIds?.length) audit.attachmentIds = [...t.attachmentIds];
  const changes: TaskChanges = { ...clockChanges(t, from, to, requires, audit), ...inputChanges(t, requires, audit) };
  if (to.key !== from.key) Object.assign(changes, { state: to.key, state_entered_at: t.now });
  if (to.terminal && !from.terminal) {
    Object.assign(
      changes,
      closingFacts(t.calendar, { ...t.row, paused_working_ms: changes.paused_working_ms ?? t.row.paused_working_ms, due_at: dueAfter(t.row, changes) }, t.now),
    );
  }
  if (!to.terminal && from.terminal) Object.assign(changes, REOPENED);
  if (changes.due_at !== undefined || changes.paused_working_ms !== undefined) {
    const counted = { ...t.row, due_at: dueAfter(t.row, changes), paused_working_ms: changes.paused_working_ms ?? t.row.paused_working_ms };
    changes.yellow_from = yellowFromOf(counted, t.calendar);
  }
  if (t.transition.kpi === 'acceptance' && !t.row.accepted_at) Object.assign(changes, acceptanceFacts(t.definition, t.calendar, t.row, t.now));

  const link = nextLink(t.row.audit_hash ? { seq: t.row.audit_seq, hash: t.row.audit_hash } : null, {
    taskId: t.row.id,
    at: t.now,
    actorId: t.actor.id,
    actorRole: t.actor.role,
    action: t.action,
    fromState: from.key,
    toState: to.key,
    data: audit,
    requestId: t.requestId,
  });
  const stateEnteredAt = changes.state_entered_at ?? t.row.state_entered_at;
  const timers = planTimers(
    t.definition,
    {
      state: to.key,
      createdAt: t.row.created_at,
      stateEnteredAt,
      dueAt: to.pauseClock ? null : dueAfter(t.row, changes),
      pausedWorkingMs: 0,
      priority: t.row.priority,
      ratedAt: changes.rated_at ?? t.row.rated_at,
    },
    t.calendar,
    t.now,
  );
  const row: TaskRow = { ...t.row, ...changes, version: t.row.version + 1, audit_seq: link.seq, audit_hash: link.hash };
  const update: TaskUpdate = {
    id: t.row.id,
    changes,
    versionBump: 1,
    links: [link],
    events: events(t, from, to, changes),
    facts: facts(t),
    timers: { replace: timers },
  };
  return { row, update };
}

/**
 * What the time windows of a task's actions are judged on at `now`: when it entered its state,
 * and its due date in force, none while its clock is paused (the date is still moving).
 */
export function actionClock(row: Pick<TaskRow, 'state_entered_at' | 'due_at' | 'paused_since'>, now: Date, calendar: BusinessCalendar): ActionClock {
  return { now, stateEnteredAt: row.state_entered_at, dueAt: row.paused_since ? null : row.due_at, calendar };
}

function dueAfter(row: TaskRow, changes: TaskChanges): Date | null {
  return changes.due_at !== undefined ? changes.due_at : row.due_at;
}

/**
 * The due date and the pause clock. Leaving a pauseClock state moves the due date on by the
 * working time spent paused; an extension sets a new due date and starts escalation afresh.
 */
function clockChanges(
  t: DecidedTransition,
  from: StateDefinition,
  to: StateDefinition,
  requires: Set<RequirableInput>,
  audit: Record<string, unknown>,
): TaskChanges {
  const { row, calendar, now } = t;
  const changes: TaskChanges = {};
  let dueAt = row.due_at;
  let pausedSince = row.paused_since;
  if (from.pauseClock && !to.pauseClock && pausedSince && dueAt) {
    const paused = calendar.workingTimeBetween(pausedSince, now);
    dueAt = movedDueAt(dueAt, paused, calendar);
    audit.pausedWorkingMs = paused;
    changes.paused_working_ms = row.paused_working_ms + paused;
  }
  if (!from.pauseClock && to.pauseClock) pausedSince = now;
  if (!to.pauseClock) pausedSince = null;
  if (requires.has('dueAt')) {
    const extended = new Date(t.input.dueAt as string | Date);
    if (Number.isNaN(extended.getTime()) || extended.getTime() <= now.getTime()) throw new InvalidInputError('dueAt', 'must be a date-time in the future');
    const latest = latestDueAt(t.transition, dueAt, now, calendar);
    if (latest && extended.getTime() > latest.getTime()) throw new ExtensionTooLongError(t.transition.maxExtension!, latest, calendar.timezone);
    audit.dueAt = { from: dueAt?.toISOString() ?? null, to: extended.toISOString() };
    dueAt = extended;
    changes.escalation_level = 0;
  }
  if (dueAt?.getTime() !== row.due_at?.getTime()) changes.due_at = dueAt;
  if (pausedSince?.getTime() !== row.paused_since?.getTime()) changes.paused_since = pausedSince;
  return changes;
}

/** Progress, rating and assignee, as the transition requires them (the assignee was checked against the owners). */
function inputChanges(t: DecidedTransition, requires: Set<RequirableInput>, audit: Record<string, unknown>): TaskChanges {
  const changes: TaskChanges = {};
  if (requires.has('progress')) {
    const progress = t.input.progress as number;
    if (!Number.isInteger(progress) || progress < 0 || progress > 100) throw new InvalidInputError('progress', 'must be a whole number from 0 to 100');
    changes.progress = audit.progress = progress;
  }
  if (requires.has('rating')) {
    const rating = t.input.rating as string;
    if (!(RATINGS as readonly unknown[]).includes(rating)) throw new InvalidInputError('rating', `must be one of ${RATINGS.join(', ')}`);
    audit.rating = changes.rating = rating;
    changes.rated_at = t.now;
    changes.data = { ...t.row.data, rating };
  }
  if (requires.has('assignee')) {
    if (!t.assigneeOwns) throw new InvalidInputError('assigneeId', 'must be a user of one of the owning departments');
    changes.assignee_id = audit.assigneeId = t.input.assigneeId as string;
  }
  return changes;
}

function events(t: DecidedTransition, from: StateDefinition, to: StateDefinition, changes: TaskChanges): NewOutboxEvent[] {
  const event = { taskId: t.row.id, ref: t.row.ref, action: t.action, from: from.key, to: to.key, version: t.row.version + 1, actorId: t.actor.id };
  const out: NewOutboxEvent[] = [{ event: 'task.transitioned', payload: event }];
  if (to.terminal && !from.terminal) out.push({ event: 'task.closed', payload: event });
  if (changes.assignee_id !== undefined && changes.assignee_id !== t.row.assignee_id) {
    out.push({ event: 'task.assigned', payload: { ...event, assigneeId: changes.assignee_id } });
  }
  return out;
}

/** Extensions and returns, as the transition declares them, dated and counted for the primary lead. */
function facts(t: DecidedTransition): TaskFact[] {
  const kpi = t.transition.kpi;
  if (kpi !== 'extension' && kpi !== 'return') return [];
  return [{ kind: kpi, departmentId: t.row.primary_department_id, at: t.now }];
}
