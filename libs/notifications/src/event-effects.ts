import type { NotificationKind } from '@duban/db';
import type { TaskRole } from '@duban/engine';

/**
 * The inbox notice an outbox event makes: of `kind`, to the users `roles` name on the event's
 * task, worded by message() from the task (title, ref, due date in its calendar's zone), with
 * data {taskId, ref, dueAt} and source `outbox:<id>`, so a replayed event makes none twice.
 */
export interface EventNotice {
  readonly kind: NotificationKind;
  /**
   * The roles told; `next`: the users who may act on the state a transition led to (nextReaders),
   * one notice per reader group worded for it, with source `outbox:<id>:<reader>`, the actor left out.
   */
  readonly roles: readonly TaskRole[] | 'next';
  /** Whether each new notice is also e-mailed (when SMTP_URL is set, to users with an address). */
  readonly email: boolean;
  /**
   * An act by a person (an urge, a card by hand): the notice words what the event's payload
   * carries (the actor's name, comment, card, time left) and the actor (payload `actorId`) is not
   * told of their own act, though the roles name them (a supervisor carding a task).
   */
  readonly act?: boolean;
}

/** One committed outbox row, as the events job reads it. */
export interface OutboxEvent {
  /** The outbox id, as text. */
  id: string;
  event: string;
  taskId: string | null;
  payload: unknown;
}

/** What one committed outbox event causes. */
export interface EventEffects {
  /**
   * Its inbox notice, or null. Timer events (reminder, overdue, escalated, SLA breach, progress
   * request, call-back due, co-opinion due or late) make none here: the firing transaction inserts theirs, with the timer as source.
   */
  readonly notice: EventNotice | null;
  /**
   * Whether the webhooks subscribed to it (by name or "*"; limited, when a subscription names a
   * department, to that department's tasks) each get a signed delivery.
   */
  readonly webhooks: boolean;
}

const WEBHOOKS_ONLY: EventEffects = { notice: null, webhooks: true };

/**
 * Every event kind with its effects, in API.md's order: the one place that says what an event
 * causes. The outbox relay reads it to settle, without a job, a row with nothing to do; the
 * events job reads it to do the rest. Adding an event kind is adding its entry here.
 */
export const EVENT_EFFECTS = {
  'task.created': { notice: { kind: 'assigned', roles: ['owner'], email: true }, webhooks: true },
  'task.assigned': WEBHOOKS_ONLY,
  // Whoever must act next is told (issue 16 point 3).
  'task.transitioned': { notice: { kind: 'action', roles: 'next', email: true }, webhooks: true },
  'task.reminder': WEBHOOKS_ONLY,
  'task.overdue': WEBHOOKS_ONLY,
  'task.escalated': WEBHOOKS_ONLY,
  'task.sla_breached': WEBHOOKS_ONLY,
  'task.closed': WEBHOOKS_ONLY,
  'task.progress_requested': WEBHOOKS_ONLY,
  'task.callback_due': WEBHOOKS_ONLY,
  'task.co_opinion_due': WEBHOOKS_ONLY,
  'task.co_opinion_late': WEBHOOKS_ONLY,
  // Built-in acts (issue 16.1-2): an urge tells the owners and the assignee; a card by hand also the department's supervisors.
  'task.urged': { notice: { kind: 'urged', roles: ['owner', 'assignee'], email: true, act: true }, webhooks: true },
  'task.carded': { notice: { kind: 'carded', roles: ['owner', 'assignee', 'supervisor'], email: true, act: true }, webhooks: true },
  'task.card_withdrawn': WEBHOOKS_ONLY,
  // A revised plan (issue 19.5): the owners of a withdrawn item's task, and of a changed one (its owners after the change).
  'task.withdrawn': { notice: { kind: 'withdrawn', roles: ['owner', 'assignee'], email: true, act: true }, webhooks: true },
  'task.revised': { notice: { kind: 'revised', roles: ['owner', 'assignee'], email: true, act: true }, webhooks: true },
} as const satisfies Record<string, EventEffects>;

export type EventName = keyof typeof EVENT_EFFECTS;

/** Events of API.md; a subscription may also say "*". */
export const EVENTS: readonly EventName[] = Object.keys(EVENT_EFFECTS) as EventName[];

/**
 * The effects of an event name read from an outbox row. A name this build does not declare
 * (written by a newer one) still reaches the webhooks subscribed to it or to "*".
 */
export function effectsOf(event: string): EventEffects {
  return Object.hasOwn(EVENT_EFFECTS, event) ? EVENT_EFFECTS[event as EventName] : WEBHOOKS_ONLY;
}

/** SQL: whether a webhook subscribes to the event `event` names (an SQL text expression), by name or "*". */
export const subscribedSql = (event: string) => `EXISTS (SELECT 1 FROM webhooks w WHERE w.events && ARRAY[${event}, '*'])`;

const WITH_NOTICE = EVENTS.filter((name) => EVENT_EFFECTS[name].notice !== null);
const NO_WEBHOOKS = EVENTS.filter((name) => !EVENT_EFFECTS[name].webhooks);

/**
 * SQL: whether the event of outbox row `o` has anything to do now, per EVENT_EFFECTS and the
 * subscriptions of this moment. It names parameters $`first` and $`first + 1`, which take
 * `params` in that order.
 */
export function hasEffectsSql(first: number): { sql: string; params: [string[], string[]] } {
  return {
    sql: `(o.event = ANY($${first}::text[]) OR (o.event <> ALL($${first + 1}::text[]) AND ${subscribedSql('o.event')}))`,
    params: [WITH_NOTICE, NO_WEBHOOKS],
  };
}
