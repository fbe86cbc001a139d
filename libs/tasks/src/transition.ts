import { nextLink } from '@duban/audit';
import { type BusinessCalendar, momentInWords } from '@duban/calendar';
import {
  type ActionClock,
  type ActionInput,
  dueDateRule,
  type DueDateOutcome,
  latestDueAt,
  movedDueAt,
  planTimers,
  type RequirableInput,
  type StateDefinition,
  stateOf,
  takesDueAt,
  type TransitionDefinition,
  type WorkflowDefinition,
} from '@duban/engine';
import { InvalidInputError } from '@duban/http';
import { ExtensionTooLongError } from './errors.js';
import { acceptanceFacts, closingFacts, RATINGS, REOPENED } from './task-facts.js';
import type { CoOpinionRow, TaskChanges, TaskRow } from './task-row.js';
import type { CoOpinionWrite, NewOutboxEvent, TaskFact, TaskUpdate } from './task-writes.js';

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
  /**
   * For the definition's co-opinion action (coOpinions.action): the actor's department when it is
   * a co-unit of the task (read by the caller), whose opinion (会办意见) the action records.
   */
  coUnit?: { id: string; name: string };
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
  ['contact', 'contact'],
  ['cc', 'cc'],
] as const satisfies readonly (readonly [keyof ActionInput, RequirableInput])[];

/**
 * Applies a decided transition to a task row: the pause clock, an extension, progress, rating,
 * assignee, a reply letter's contact and cc list, a co-unit's opinion, the files it carries, the
 * closing and acceptance facts, the events and report facts it causes, the timers its new state
 * implies and its audit link. Pure: the same arguments give the same result.
 * @throws InvalidInputError (400) for an input the transition does not take or a value out of range;
 *   ExtensionTooLongError (400, dueAt) for a new due date past the transition's `maxExtension`.
 */
export function applyTransition(t: DecidedTransition): AppliedTransition {
  const requires = new Set(t.transition.requires ?? []);
  for (const [field, requirement] of INPUT_REQUIREMENT) {
    const takes = field === 'dueAt' ? takesDueAt(t.transition) : requires.has(requirement);
    if (t.input[field] !== undefined && t.input[field] !== null && !takes) {
      throw new InvalidInputError(field, `"${t.action}" does not take ${field}`);
    }
  }
  const from = stateOf(t.definition, t.row.state)!;
  const to = stateOf(t.definition, t.to)!;
  const audit: Record<string, unknown> = t.input.comment ? { comment: t.input.comment } : {};
  if (t.attachmentIds?.length) audit.attachmentIds = [...t.attachmentIds];
  const changes: TaskChanges = { ...clockChanges(t, from, to, audit), ...inputChanges(t, requires, audit) };
  replyLetter(t, requires, audit);
  const opinion = coOpinionOf(t, audit);
  const coOpinions = opinion
    ? [...t.row.co_opinions.filter((o) => o.departmentId !== opinion.departmentId), opinionRow(opinion, t.coUnit!.name)]
    : t.row.co_opinions;
  if (to.key !== from.key) Object.assign(changes, { state: to.key, state_entered_at: t.now });
  if (to.terminal && !from.terminal) {
    Object.assign(
      changes,
      closingFacts(t.calendar, { ...t.row, paused_working_ms: changes.paused_working_ms ?? t.row.paused_working_ms, due_at: dueAfter(t.row, changes) }, t.now),
    );
  }
  if (!to.terminal && from.terminal) Object.assign(changes, REOPENED);
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
      coOpinionsOwed: coOpinionsOwed(t.row, coOpinions),
    },
    t.calendar,
    t.now,
  );
  const row: TaskRow = { ...t.row, ...changes, co_opinions: coOpinions, version: t.row.version + 1, audit_seq: link.seq, audit_hash: link.hash };
  const update: TaskUpdate = {
    id: t.row.id,
    changes,
    versionBump: 1,
    links: [link],
    events: events(t, from, to, changes),
    facts: facts(t),
    timers: { replace: timers },
    ...(opinion ? { coOpinions: [opinion] } : {}),
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
 * working time spent paused; a request for an extension records the date asked for
 * (dueDateRule); an extension sets a new due date and starts escalation afresh.
 */
function clockChanges(t: DecidedTransition, from: StateDefinition, to: StateDefinition, audit: Record<string, unknown>): TaskChanges {
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
  const rule = dueDateRule(t.transition, t.input, row.requested_due_at, to.key !== from.key, now);
  if (rule.kind === 'invalid') throw dueDateError(rule, calendar.timezone);
  if (rule.kind === 'proposed' || rule.kind === 'set') {
    const date = rule.kind === 'set' ? rule.dueAt : rule.requestedDueAt;
    const latest = latestDueAt(t.transition, dueAt, now, calendar);
    if (latest && date.getTime() > latest.getTime()) throw new ExtensionTooLongError(t.transition.maxExtension!, latest, calendar.timezone);
  }
  if (rule.kind === 'proposed') audit.requestedDueAt = rule.requestedDueAt.toISOString();
  if (rule.kind === 'set') {
    audit.dueAt = { from: dueAt?.toISOString() ?? null, to: rule.dueAt.toISOString(), ...(rule.granted ? { granted: 'requested' } : {}) };
    dueAt = rule.dueAt;
    changes.escalation_level = 0;
  }
  if (rule.requestedDueAt?.getTime() !== row.requested_due_at?.getTime()) changes.requested_due_at = rule.requestedDueAt;
  if (dueAt?.getTime() !== row.due_at?.getTime()) changes.due_at = dueAt;
  if (pausedSince?.getTime() !== row.paused_since?.getTime()) changes.paused_since = pausedSince;
  return changes;
}

/** The 400 naming dueAt for a date the due-date rule cannot use. */
function dueDateError(rule: Extract<DueDateOutcome, { kind: 'invalid' }>, timezone: string): InvalidInputError {
  switch (rule.problem) {
    case 'not-a-date':
    case 'not-in-future':
      return new InvalidInputError('dueAt', '须为将来的时间。 must be a date-time in the future');
    case 'missing':
      return new InvalidInputError('dueAt', '未申请延期日期，请给出新的办理期限。 is required: no date was asked for to grant');
    case 'request-passed':
      return new InvalidInputError(
        'dueAt',
        `申请的延期日期${momentInWords(rule.requestedDueAt!, timezone)}已过，请给出新的办理期限。` +
          ` is required: the date asked for, ${rule.requestedDueAt!.toISOString()}, has passed`,
      );
  }
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

/**
 * A reply letter's contact person and cc list (建议提案答复函: "联系人：…，联系电话：…", "抄送：…"),
 * trimmed, the cc list without repeats, into the audit entry.
 */
function replyLetter(t: DecidedTransition, requires: Set<RequirableInput>, audit: Record<string, unknown>): void {
  if (requires.has('contact')) {
    const { name, phone } = t.input.contact!;
    audit.contact = { name: name.trim(), phone: phone.trim() };
  }
  if (requires.has('cc')) audit.cc = [...new Set(t.input.cc!.map((unit) => unit.trim()).filter((unit) => unit.length > 0))];
}

/** The opinion (会办意见) a co-unit gives by taking the definition's co-opinion action; null for any other action. */
function coOpinionOf(t: DecidedTransition, audit: Record<string, unknown>): CoOpinionWrite | null {
  if (!t.coUnit || t.definition.coOpinions?.action !== t.action) return null;
  audit.departmentId = t.coUnit.id;
  return { departmentId: t.coUnit.id, at: t.now, comment: t.input.comment ?? '', attachmentIds: [...(t.attachmentIds ?? [])], actorId: t.actor.id };
}

function opinionRow(o: CoOpinionWrite, departmentName: string): CoOpinionRow {
  return { departmentId: o.departmentId, departmentName, at: o.at.toISOString(), comment: o.comment, attachmentIds: o.attachmentIds, actorId: o.actorId };
}

/** The co-units (会办单位) of the task that have given no opinion yet, by department id, in the owners' order. */
export function coUnitsOwingOpinion(row: Pick<TaskRow, 'owners'>, opinions: readonly Pick<CoOpinionRow, 'departmentId'>[]): string[] {
  return row.owners.filter((o) => o.role === 'co' && !opinions.some((op) => op.departmentId === o.departmentId)).map((o) => o.departmentId);
}

/** How many co-units of the task have given no opinion (会办意见) yet. */
export function coOpinionsOwed(row: Pick<TaskRow, 'owners'>, opinions: readonly Pick<CoOpinionRow, 'departmentId'>[]): number {
  return coUnitsOwingOpinion(row, opinions).length;
}

/**
 * The events of a transition. Their payload says what a reader of the act needs (the `action`
 * notice of the events job, a webhook): who acted, the action's and the states' labels, the
 * comment, the due date after it and the date an extension request asks for (null when none).
 */
function events(t: DecidedTransition, from: StateDefinition, to: StateDefinition, changes: TaskChanges): NewOutboxEvent[] {
  const dueAt = dueAfter(t.row, changes);
  const requested = changes.requested_due_at !== undefined ? changes.requested_due_at : t.row.requested_due_at;
  const event = {
    taskId: t.row.id,
    ref: t.row.ref,
    action: t.action,
    actionLabel: t.transition.label ?? t.action,
    from: from.key,
    fromLabel: from.label,
    to: to.key,
    toLabel: to.label,
    version: t.row.version + 1,
    actorId: t.actor.id,
    comment: t.input.comment ?? null,
    dueAt: dueAt?.toISOString() ?? null,
    requestedDueAt: requested?.toISOString() ?? null,
  };
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
