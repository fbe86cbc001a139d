import { nextLink } from '@duban/audit';
import type { NotificationKind } from '@duban/db';
import { coOpinionsDueAt, type PlannedTimer, planTimers, stateOf, type TaskRole, type TimerKind } from '@duban/engine';
import { byReader, CO_OWNER_OWING_OPINION, message, type Reader, type RoleNotification } from '@duban/notifications';
import { type ClaimedTimer, coUnitsOwingOpinion, type TaskRow, type TaskUpdate } from '@duban/tasks';
import type { RunningWorkflow } from '@duban/workflows';

const NOTICE: Record<TimerKind, NotificationKind> = {
  reminder: 'reminder',
  overdue: 'overdue',
  escalation: 'escalated',
  sla_breach: 'sla_breach',
  progress: 'progress_requested',
  callback: 'callback',
  co_opinion_reminder: 'co_opinion_due',
  co_opinion_late: 'co_opinion_late',
};

const EVENT: Record<TimerKind, string> = {
  reminder: 'task.reminder',
  overdue: 'task.overdue',
  escalation: 'task.escalated',
  sla_breach: 'task.sla_breached',
  progress: 'task.progress_requested',
  callback: 'task.callback_due',
  co_opinion_reminder: 'task.co_opinion_due',
  co_opinion_late: 'task.co_opinion_late',
};

/** What a co-opinion late notice names: the department names of the co-units still owing their opinion, by id. */
export type UnitNames = ReadonlyMap<string, string>;

/** The co-units whose names the notices of these claimed timers need: those still owing an opinion on a task whose co-opinion is late. */
export function unitsToName(claimed: readonly ClaimedTimer[], tasks: ReadonlyMap<string, TaskRow>): string[] {
  const late = claimed.filter((t) => t.kind === 'co_opinion_late').map((t) => tasks.get(t.task_id)!);
  return [...new Set(late.flatMap((task) => coUnitsOwingOpinion(task, task.co_opinions)))];
}

const isCoOpinion = (kind: TimerKind) => kind === 'co_opinion_reminder' || kind === 'co_opinion_late';

const CARD_RANK = { yellow: 1, red: 2 } as const;

/** The workflow version of a task, as the runtime resolved it before the transaction. */
export type WorkflowOf = (task: TaskRow) => RunningWorkflow | undefined;

/** What the audit link of a reminder that sends nothing says. */
export const SUPERSEDED = 'superseded by overdue';

/** What the audit link of a co-opinion reminder that sends nothing says: the late notice went out with it. */
export const SUPERSEDED_BY_CO_OPINION_LATE = 'superseded by co-opinion late';

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
 * - A co-opinion reminder fired together with its task's co-opinion late notice (a re-handled
 *   proposal whose co-opinion timers came back past due): the late notice says it all.
 * The overdue notice (to the owners) and SLA breaches always go out. Pure.
 * Source: issue 15, point 5.
 */
export function supersededFirings(claimed: readonly ClaimedTimer[], tasks: ReadonlyMap<string, TaskRow>, now: Date): Map<string, string> {
  const overdueFiring = new Set(claimed.filter((t) => t.kind === 'overdue').map((t) => t.task_id));
  const coOpinionLate = new Set(claimed.filter((t) => t.kind === 'co_opinion_late').map((t) => t.task_id));
  const highest = new Map<string, number>();
  for (const t of claimed) if (t.kind === 'escalation') highest.set(t.task_id, Math.max(highest.get(t.task_id) ?? 0, t.level ?? 0));
  const superseded = new Map<string, string>();
  for (const timer of claimed) {
    if (timer.kind === 'reminder') {
      const due = tasks.get(timer.task_id)?.due_at;
      if (overdueFiring.has(timer.task_id) || (due && due.getTime() <= now.getTime())) superseded.set(timer.id, SUPERSEDED);
    }
    if (timer.kind === 'co_opinion_reminder' && coOpinionLate.has(timer.task_id)) superseded.set(timer.id, SUPERSEDED_BY_CO_OPINION_LATE);
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
 * unique (user, source) index would otherwise give a user in both groups only the first. A
 * co-opinion notice speaks of the co-opinion due date; its reminder goes only to the co-units
 * still owing their opinion (a `co-owner` it names is CO_OWNER_OWING_OPINION), and its late
 * notice names them (`unitNames` by department id).
 */
export function timerNotices(
  timer: ClaimedTimer,
  task: TaskRow,
  workflow: RunningWorkflow | undefined,
  now: Date,
  unitNames: UnitNames = new Map(),
): RoleNotification[] {
  const dueAt = noticeDueAt(timer, task, workflow);
  const coOpinion = isCoOpinion(timer.kind);
  const owing = coOpinion ? coUnitsOwingOpinion(task, task.co_opinions) : [];
  const notify = coOpinion ? timer.notify.map((role) => (role === 'co-owner' ? CO_OWNER_OWING_OPINION : role)) : timer.notify;
  const groups: { reader: Reader | undefined; roles: readonly string[] }[] = BY_READER.has(timer.kind)
    ? byReader(timer.notify as TaskRole[])
    : [{ reader: undefined, roles: notify }];
  return groups.map(({ reader, roles }) => {
    const text = message({
      kind: NOTICE[timer.kind],
      taskTitle: task.title,
      taskRef: task.ref,
      dueAt,
      level: timer.level,
      card: timer.card,
      stateLabel: workflow ? stateOf(workflow.definition, task.state)?.label : undefined,
      missingUnits: owing.map((id) => unitNames.get(id) ?? id),
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
      data: {
        taskId: task.id,
        ref: task.ref,
        timer: timer.key,
        dueAt: dueAt?.toISOString() ?? null,
        level: timer.level,
        card: timer.card,
        ...(coOpinion ? { missingDepartmentIds: owing } : {}),
      },
      source: reader ? `timer:${timer.id}:${reader}` : `timer:${timer.id}`,
      email: true,
    };
  });
}

/** The firing a notice source names (`timer:<id>`, whatever its reader suffix): what the audit link and the event count recipients by. */
export const firingOf = (source: string): string => source.split(':').slice(0, 2).join(':');

/**
 * The due date a notice speaks of: an SLA's and a call-back's are their timers'; the co-units'
 * opinions are due `coOpinions.within` after the assignment; the others speak of the task's.
 */
function noticeDueAt(timer: ClaimedTimer, task: TaskRow, workflow: RunningWorkflow | undefined): Date | null {
  if (timer.kind === 'sla_breach' || timer.kind === 'callback') return timer.due_at;
  if (isCoOpinion(timer.kind)) return (workflow && coOpinionsDueAt(workflow.definition, task.created_at, workflow.calendar)) ?? timer.due_at;
  return task.due_at;
}

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

/** The outbox event of a firing, naming the users its notice went to (and, for a co-opinion, the co-units missing). */
function firingEvent(timer: ClaimedTimer, task: TaskRow, recipients: string[]) {
  const { key, kind, due_at, level, card } = timer;
  // A co-opinion event says which co-units still owe their opinion.
  const owing = isCoOpinion(kind) ? { missingDepartmentIds: coUnitsOwingOpinion(task, task.co_opinions) } : {};
  return {
    event: EVENT[kind],
    payload: { taskId: task.id, ref: task.ref, timer: key, kind, dueAt: due_at.toISOString(), level, card, recipients, ...owing },
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
