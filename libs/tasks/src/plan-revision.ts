import { nextLink } from '@duban/audit';
import type { BusinessCalendar } from '@duban/calendar';
import { planTimers, stateOf, WITHDRAWN_STATE, type WorkflowDefinition } from '@duban/engine';
import type { TaskChanges, TaskRow } from './task-row.js';
import { yellowFromOf } from './task-view.js';
import type { AppliedTransition, Actor } from './transition.js';
import type { NewOutboxEvent } from './task-writes.js';
import { coOpinionsOwed } from './transition.js';

/**
 * A revised plan's writes to the tasks of its items (issue 19.5), as the write path of an action
 * makes them: an audit link, `version` bumped, timers re-planned, an outbox event whose notice
 * tells the owners. Pure: the same arguments give the same result.
 */

/** The audit actions and outbox events of a plan's revision. */
export const PLAN_REVISION_ACTS = {
  withdraw: { label: '撤销', event: 'task.withdrawn' },
  revise: { label: '计划修订', event: 'task.revised' },
} as const;

/** What a revision of one task is applied with. */
export interface RevisionContext {
  /** The task as locked for the write. */
  row: TaskRow;
  definition: WorkflowDefinition;
  calendar: BusinessCalendar;
  /** Why, in words (计划《…》修订：…): the audit entry's and the notice's comment. */
  comment: string;
  actor: Actor;
  requestId: string | null;
  now: Date;
}

/** What a revised item changes on its task; absent fields stay as they are. */
export interface TaskRevision {
  title?: string;
  body?: string;
  /** The new due date; null: none (long-term). */
  dueAt?: Date | null;
  /** The owners from now on, leads first (the first is the primary lead). */
  owners?: { departmentId: string; role: 'lead' | 'co' }[];
  /**
   * A county's share: the departments supervising it from now on (its item's leads, as on
   * import), which see it and act as its supervisor; those dropped lose that access.
   */
  supervisingDepartmentIds?: string[];
}

/** The event of a revision act, carrying what its notice words (as applyAct's events do). */
function revisionEvent(c: RevisionContext, act: keyof typeof PLAN_REVISION_ACTS, dueAt: Date | null, extra: Record<string, unknown>): NewOutboxEvent {
  return {
    event: PLAN_REVISION_ACTS[act].event,
    payload: {
      taskId: c.row.id,
      ref: c.row.ref,
      action: act,
      actionLabel: PLAN_REVISION_ACTS[act].label,
      actorId: c.actor.id,
      comment: c.comment,
      dueAt: dueAt?.toISOString() ?? null,
      version: c.row.version + 1,
      ...extra,
    },
  };
}

/**
 * 撤销: an open task whose item a revised plan no longer has goes to the engine's final state
 * `withdrawn` (WITHDRAWN_STATE). It is closed (closed_at, so it leaves the open lists and stops
 * being overdue) without the closing facts a finished task gets (handling time, closed early):
 * the reports count it neither as closed nor as on time. Its pending timers are cancelled; the
 * event `task.withdrawn` tells its owners.
 */
export function withdrawnTask(c: RevisionContext): AppliedTransition {
  const { row, now } = c;
  const changes: TaskChanges = {
    state: WITHDRAWN_STATE.key,
    state_entered_at: now,
    closed_at: now,
    handling_working_days: null,
    closed_early: null,
    paused_since: null,
    requested_due_at: null,
  };
  const link = nextLink(row.audit_hash ? { seq: row.audit_seq, hash: row.audit_hash } : null, {
    taskId: row.id,
    at: now,
    actorId: c.actor.id,
    actorRole: c.actor.role,
    action: 'withdraw',
    fromState: row.state,
    toState: WITHDRAWN_STATE.key,
    data: { comment: c.comment },
    requestId: c.requestId,
  });
  const event = revisionEvent(c, 'withdraw', row.due_at, { from: row.state, to: WITHDRAWN_STATE.key, toLabel: WITHDRAWN_STATE.label });
  return {
    row: { ...row, ...changes, version: row.version + 1, audit_seq: link.seq, audit_hash: link.hash },
    update: { id: row.id, changes, versionBump: 1, links: [link], events: [event], facts: [], timers: { replace: [] } },
  };
}

/** The timers of the task's state on a new due date, as a transition that stays in its state plans them (from the state's entry). */
function replannedTimers(c: RevisionContext, dueAt: Date | null) {
  const { row } = c;
  return planTimers(
    c.definition,
    {
      state: row.state,
      createdAt: row.created_at,
      stateEnteredAt: row.state_entered_at,
      dueAt: stateOf(c.definition, row.state)?.pauseClock ? null : dueAt,
      pausedWorkingMs: 0,
      priority: row.priority,
      ratedAt: row.rated_at,
      coOpinionsOwed: coOpinionsOwed(row, row.co_opinions),
    },
    c.calendar,
    c.now,
  );
}

/**
 * 计划修订: a revised item's wording, owners and due date written to its task, the audit entry
 * holding each change as {from, to}. A new due date starts escalation afresh (as an extension
 * does), moves the light's yellow boundary and re-plans the state's timers (reminders,
 * overdue, escalation) from it; the event `task.revised` tells the owners (the new ones).
 * @returns null when the revision changes nothing on the task.
 */
export function revisedTask(c: RevisionContext, revision: TaskRevision): AppliedTransition | null {
  const { row, now } = c;
  const changes: TaskChanges = {};
  const audit: Record<string, unknown> = { comment: c.comment };
  if (revision.title !== undefined && revision.title !== row.title) {
    audit.title = { from: row.title, to: revision.title };
    changes.title = revision.title;
  }
  if (revision.body !== undefined && revision.body !== row.body) {
    audit.body = { from: row.body, to: revision.body };
    changes.body = revision.body;
  }
  const owners = revision.owners;
  const sameOwners =
    !owners ||
    (owners.length === row.owners.length && owners.every((o, i) => o.departmentId === row.owners[i]!.departmentId && o.role === row.owners[i]!.role));
  if (!sameOwners) {
    audit.owners = { from: row.owners, to: owners };
    const primary = owners!.find((o) => o.role === 'lead')?.departmentId;
    if (primary && primary !== row.primary_department_id) changes.primary_department_id = primary;
  }
  const supervisors = revision.supervisingDepartmentIds;
  if (supervisors && (supervisors.length !== row.supervising_department_ids.length || supervisors.some((d, i) => d !== row.supervising_department_ids[i]))) {
    audit.supervisingDepartmentIds = { from: row.supervising_department_ids, to: supervisors };
    changes.supervising_department_ids = supervisors;
  }
  const dueChanged = revision.dueAt !== undefined && (revision.dueAt?.getTime() ?? null) !== (row.due_at?.getTime() ?? null);
  if (dueChanged) {
    audit.dueAt = { from: row.due_at?.toISOString() ?? null, to: revision.dueAt?.toISOString() ?? null };
    changes.due_at = revision.dueAt!;
    changes.escalation_level = 0;
    changes.yellow_from = yellowFromOf({ ...row, due_at: revision.dueAt! }, c.calendar);
  }
  if (Object.keys(changes).length === 0 && sameOwners) return null;

  const link = nextLink(row.audit_hash ? { seq: row.audit_seq, hash: row.audit_hash } : null, {
    taskId: row.id,
    at: now,
    actorId: c.actor.id,
    actorRole: c.actor.role,
    action: 'revise',
    fromState: row.state,
    toState: row.state,
    data: audit,
    requestId: c.requestId,
  });
  const dueAt = dueChanged ? revision.dueAt! : row.due_at;
  const timers = dueChanged && !row.closed_at ? replannedTimers(c, dueAt) : undefined;
  // The owners a revision removes are no longer on the task for the notice to find: named here so they are told too.
  const removed = sameOwners ? [] : row.owners.filter((o) => !owners!.some((n) => n.departmentId === o.departmentId)).map((o) => o.departmentId);
  const event = revisionEvent(c, 'revise', dueAt, {
    changed: Object.keys(audit).filter((k) => k !== 'comment'),
    ...(removed.length > 0 ? { removedDepartmentIds: removed } : {}),
  });
  const after: TaskRow = {
    ...row,
    ...changes,
    owners: sameOwners ? row.owners : owners!,
    version: row.version + 1,
    audit_seq: link.seq,
    audit_hash: link.hash,
  };
  return {
    row: after,
    update: {
      id: row.id,
      changes,
      versionBump: 1,
      links: [link],
      events: [event],
      facts: [],
      ...(timers ? { timers: { replace: timers } } : {}),
      ...(sameOwners ? {} : { owners }),
    },
  };
}
