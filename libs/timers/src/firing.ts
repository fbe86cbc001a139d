import { nextLink } from '@duban/audit';
import type { NotificationKind } from '@duban/db';
import { type PlannedTimer, planTimers, stateOf, type TaskRole, type TimerKind } from '@duban/engine';
import { byReader, message, type RoleNotification } from '@duban/notifications';
import type { ClaimedTimer, TaskRow, TaskUpdate } from '@duban/tasks';
import type { RunningWorkflow } from '@duban/workflows';

const NOTICE: Record<TimerKind, NotificationKind> = {
  reminder: 'reminder',
  overdue: 'overdue',
  escalation: 'escalated',
  sla_breach: 'sla_breach',
  progress: 'progress_requested',
  callback: 'callback',
};

const EVENT: Record<TimerKind, string> = {
  reminder: 'task.reminder',
  overdue: 'task.overdue',
  escalation: 'task.escalated',
  sla_breach: 'task.sla_breached',
  progress: 'task.progress_requested',
  callback: 'task.callback_due',
};

const CARD_RANK = { yellow: 1, red: 2 } as const;

/** The workflow version of a task, as the runtime resolved it before the transaction. */
export type WorkflowOf = (task: TaskRow) => RunningWorkflow | undefined;

/** What the audit link of a reminder that sends nothing says. */
export const SUPERSEDED = 'superseded by overdue';

/** What the audit link of an escalation level that sends nothing says: the level that went out instead. */
export const supersededByLevel = (level: number) => `superseded by level ${level}`;

/**
 * The claimed timers that send nothing, each with what its audit link says. A claim holds what
 * is due now of a task's timers (a backlog after the workers were down, a reopened or resumed
 * task whose due date has passed): what is due now goes out once, stale steps stay silent.
 * - A reminder whose task is already past its due date when it fires, or that fires together
 *   with its task's overdue notice, which says it all (SUPERSEDED).
 * - An escalation level fired together with a higher one of its task: the highest level reached
 *   goes out alone (supersededByLevel), not every level in a burst; the cards of the silent
 *   levels still count (firingUpdates), so the task ends with the highest card reached.
 * The overdue notice (to the owners) and SLA breaches always go out. Pure.
 * Source: issue 15, point 5.
 */
export function supersededFirings(claimed: readonly ClaimedTimer[], tasks: ReadonlyMap<string, TaskRow>, now: Date): Map<string, string> {
  const overdueFiring = new Set(claimed.filter((t) => t.kind === 'overdue').map((t) => t.task_id));
  const highest = new Map<string, number>();
  for (const t of claimed) if (t.kind === 'escalation') highest.set(t.task_id, Math.max(highest.get(t.task_id) ?? 0, t.level ?? 0));
  const superseded = new Map<string, string>();
  for (const timer of claimed) {
    if (timer.kind === 'reminder') {
      const due = tasks.get(timer.task_id)?.due_at;
      if (overdueFiring.has(timer.task_id) || (due && due.getTime() <= now.getTime())) superseded.set(timer.id, SUPERSEDED);
    }
    const top = highest.get(timer.task_id) ?? 0;
    if (timer.kind === 'escalation' && (timer.level ?? 0) < top) superseded.set(timer.id, supersededByLevel(top));
  }
  return superseded;
}

/** Timer notices worded per reader: the unit is told to act, the supervisors to press it (issue 16 point 3). */
const BY_READER: ReadonlySet<TimerKind> = new Set(['escalation', 'sla_breach']);

/**
 * The notices a fired timer sends to the roles it names, with the task's state and due date in
 * words, in the tense right at `now`. An escalation or SLA breach sends one per reader group
 * (byReader), each with a source of its own (`timer:<id>:unit`, `timer:<id>:overseer`): the
 * unique (user, source) index would otherwise give a user in both groups only the first.
 */
export function timerNotices(timer: ClaimedTimer, task: TaskRow, workflow: RunningWorkflow | undefined, now: Date): RoleNotification[] {
  // An SLA and a call-back have deadlines of their own; the other notices speak of the task's.
  const dueAt = timer.kind === 'sla_breach' || timer.kind === 'callback' ? timer.due_at : task.due_at;
  const groups = BY_READER.has(timer.kind) ? byReader(timer.notify as TaskRole[]) : [{ reader: undefined, roles: timer.notify as TaskRole[] }];
  return groups.map(({ reader, roles }) => {
    const text = message({
      kind: NOTICE[timer.kind],
      taskTitle: task.title,
      taskRef: task.ref,
      dueAt,
      level: timer.level,
      card: timer.card,
      stateLabel: workflow ? stateOf(workflow.definition, task.state)?.label : undefined,
      timezone: workflow?.calendar.timezone ?? 'Asia/Shanghai',
      calendar: workflow?.calendar,
      now,
      reader,
    });
    return {
      roles,
      kind: NOTICE[timer.kind],
      taskId: task.id,
      title: text.title,
      body: text.body,
      data: { taskId: task.id, ref: task.ref, timer: timer.key, dueAt: dueAt?.toISOString() ?? null, level: timer.level, card: timer.card },
      source: reader ? `timer:${timer.id}:${reader}` : `timer:${timer.id}`,
      email: true,
    };
  });
}

/** The firing a notice source names (`timer:<id>`, whatever its reader suffix): what the audit link and the event count recipients by. */
export const firingOf = (source: string): string => source.split(':').slice(0, 2).join(':');

/**
 * What firing these timers does to their tasks, applied in due order: cards only go up (yellow,
 * then red) and are dated report facts; the escalation level only grows; `version` grows when
 * either changes; each firing appends an audit link (actor `system`) and an outbox event naming
 * its recipients; a progress request plans the next one after `now`, so a missed one fires once
 * and the next is planned from today. A superseded timer (supersededFirings) leaves its audit
 * link, marked skipped, and the card it carries (cards only go up): no event, no notice, no level. Pure.
 * @param claimed in due order; `recipients` maps a notice source (`timer:<id>`) to the users told.
 */
export function firingUpdates(
  claimed: readonly ClaimedTimer[],
  tasks: ReadonlyMap<string, TaskRow>,
  workflowOf: WorkflowOf,
  recipients: ReadonlyMap<string, string[]>,
  now: Date,
): TaskUpdate[] {
  // Per task: the update so far, the card and level after the firings folded in, the timers added.
  const updates = new Map<string, TaskUpdate & { card: TaskRow['card']; level: number; added: PlannedTimer[] }>();
  const superseded = supersededFirings(claimed, tasks, now);
  for (const timer of claimed) {
    const task = tasks.get(timer.task_id)!;
    const u = updates.get(task.id) ?? {
      id: task.id,
      changes: {},
      versionBump: 0,
      links: [],
      events: [],
      facts: [],
      card: task.card,
      level: task.escalation_level,
      added: [],
    };
    updates.set(task.id, u);
    const skipped = superseded.get(timer.id);
    // A superseded timer still raises the card it carries: the task did reach it (a backlog whose
    // level 1 is red and level 2 has no card ends red), though only the highest level is told.
    const card = timer.card && (!u.card || CARD_RANK[timer.card] > CARD_RANK[u.card]) ? timer.card : u.card;
    const level = skipped ? u.level : Math.max(u.level, timer.level ?? 0);
    const sent = recipients.get(`timer:${timer.id}`) ?? [];
    const head = u.links.at(-1) ?? (task.audit_hash ? { seq: task.audit_seq, hash: task.audit_hash } : null);
    u.links.push(
      nextLink(head, {
        taskId: task.id,
        at: now,
        actorId: null,
        actorRole: 'system',
        action: `timer.${timer.kind}`,
        fromState: task.state,
        toState: task.state,
        data: {
          timer: timer.key,
          dueAt: timer.due_at.toISOString(),
          recipients: sent.length,
          ...(skipped ? { skipped } : {}),
          ...(timer.level ? { level: timer.level } : {}),
          ...(card !== u.card ? { card } : {}),
        },
        requestId: null,
      }),
    );
    if (card && card !== u.card) u.facts.push({ kind: `${card}_card`, departmentId: task.primary_department_id, at: now });
    if (card !== u.card || level !== u.level) u.versionBump++;
    if (card !== task.card) u.changes.card = card;
    if (level !== task.escalation_level) u.changes.escalation_level = level;
    Object.assign(u, { card, level });
    if (skipped) continue;
    u.events.push(firingEvent(timer, task, sent));
    const workflow = workflowOf(task);
    if (timer.kind === 'progress' && workflow) u.added.push(...nextProgressRequest(timer, task, workflow, now));
  }
  return [...updates.values()].map((u) => ({
    id: u.id,
    changes: u.changes,
    versionBump: u.versionBump,
    links: u.links,
    events: u.events,
    facts: u.facts,
    timers: { add: u.added },
  }));
}

/** The outbox event of a firing, naming the users its notice went to. */
function firingEvent(timer: ClaimedTimer, task: TaskRow, recipients: string[]) {
  const { key, kind, due_at, level, card } = timer;
  return {
    event: EVENT[kind],
    payload: { taskId: task.id, ref: task.ref, timer: key, kind, dueAt: due_at.toISOString(), level, card, recipients },
  };
}

/**
 * The progress request after the one that fired, on the task's calendar: the first one after its
 * own due time and after `now`. A request missed by weeks (workers down) fires once; planning the
 * next from its own due time would fire every missed month in a row, a second apart.
 */
function nextProgressRequest(timer: ClaimedTimer, task: TaskRow, { definition, calendar }: RunningWorkflow, now: Date) {
  return planTimers(
    definition,
    { state: task.state, createdAt: task.created_at, stateEnteredAt: task.state_entered_at, dueAt: task.due_at, pausedWorkingMs: 0 },
    calendar,
    new Date(Math.max(timer.due_at.getTime() + 1, now.getTime())),
  ).filter((t) => t.kind === 'progress');
}
