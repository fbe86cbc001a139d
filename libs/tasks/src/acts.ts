import { nextLink } from '@duban/audit';
import { type BusinessCalendar, CalendarError, timeLeft } from '@duban/calendar';
import { BUILT_IN_ACTS, type BuiltInAct, type Card, higherCard } from '@duban/engine';
import { InvalidInputError } from '@duban/http';
import type { TaskChanges, TaskRow } from './task-row.js';
import type { CardFact, NewOutboxEvent, TaskFact, TaskUpdate } from './task-writes.js';
import type { Actor, AppliedTransition } from './transition.js';

/** The outbox event each built-in act raises: what its notice and webhooks hang on (libs/notifications EVENT_EFFECTS). */
export const ACT_EVENTS = { urge: 'task.urged', card: 'task.carded', 'withdraw-card': 'task.card_withdrawn' } as const satisfies Record<BuiltInAct, string>;

/** Inputs of transitions that no built-in act takes. */
const NOT_TAKEN = ['rating', 'dueAt', 'progress', 'assigneeId', 'contact', 'cc', 'card'] as const;

/** A built-in act the engine allowed (decideAct), with everything its application needs. */
export interface DecidedAct {
  /** The task as locked for the write. */
  row: TaskRow;
  act: BuiltInAct;
  comment: string;
  /** The colour of a card by hand. */
  card?: Card;
  /** For a withdrawal: the task's cards in force (TaskStore.cardsInForce), oldest first. */
  cardsInForce?: readonly CardFact[];
  /** Inputs of the request besides comment and card, refused when given. */
  input?: Partial<Record<(typeof NOT_TAKEN)[number], unknown>>;
  /** Files of the task the act carries, checked by the caller; recorded in the audit entry. */
  attachmentIds?: readonly string[];
  /** The task's calendar: the time left to its due date is counted on it. */
  calendar: BusinessCalendar;
  actor: Actor;
  requestId: string | null;
  now: Date;
}

/** What a withdrawal takes away and leaves: the latest fact of the card shown, and the highest card left in force. */
function withdrawal(row: TaskRow, cards: readonly CardFact[]): { withdrawn: CardFact | undefined; remaining: Card | null } {
  const withdrawn = [...cards].reverse().find((c) => c.card === row.card);
  // A card that has no fact (given before the facts were kept) is withdrawn all the same; what stays is below it.
  const rest = cards.filter((c) => c !== withdrawn && (withdrawn !== undefined || (c.card !== row.card && higherCard(c.card, row.card) === row.card)));
  return { withdrawn, remaining: rest.reduce<Card | null>((top, c) => higherCard(top, c.card), null) };
}

/**
 * The time left to the task's due date at `now`, in working time on its calendar (`剩余 2 个工作日`,
 * `已逾期 3 个工作日`); null without a due date or when the calendar cannot count that far.
 */
function timeLeftOf(row: TaskRow, calendar: BusinessCalendar, now: Date): { overdue: boolean; workingDays: number; words: string } | null {
  if (!row.due_at) return null;
  try {
    const left = timeLeft(row.due_at, now, calendar);
    return { overdue: left.overdue, workingDays: left.workingDays, words: left.words };
  } catch (err) {
    if (err instanceof CalendarError) return null;
    throw err;
  }
}

/**
 * Applies an allowed built-in act to a task row. Its state and timers stay as they are; it
 * appends an audit link (the comment, the card given or withdrawn, the files), bumps `version`
 * and raises its outbox event (task.urged, task.carded, task.card_withdrawn) carrying the comment,
 * the due date and the time left at this moment, which its notice words. An urge and a card are
 * dated report facts of the primary lead department; a card sets the task's card; a withdrawal
 * marks the latest fact of the card shown withdrawn (it leaves the reports) and lowers the card to
 * the highest left in force. Pure: the same arguments give the same result.
 * @throws InvalidInputError (400) for an input the act does not take.
 */
export function applyAct(a: DecidedAct): AppliedTransition {
  for (const field of NOT_TAKEN) {
    // The colour is the card act's own input; every other act refuses it, as transitions do.
    if (field === 'card' && a.act === 'card') continue;
    if (a.input?.[field] !== undefined && a.input[field] !== null) {
      throw new InvalidInputError(field, `“${BUILT_IN_ACTS[a.act].label}”不接受此项。"${a.act}" does not take ${field}.`);
    }
  }
  const { row, now } = a;
  const audit: Record<string, unknown> = { comment: a.comment };
  const changes: TaskChanges = {};
  const facts: TaskFact[] = [];
  let withdrawnFacts: string[] | undefined;
  const payload: Record<string, unknown> = { taskId: row.id, ref: row.ref, action: a.act, actorId: a.actor.id, comment: a.comment };
  if (a.act === 'urge') facts.push({ kind: 'urge', departmentId: row.primary_department_id, at: now });
  if (a.act === 'card') {
    audit.card = payload.card = changes.card = a.card!;
    payload.previous = row.card;
    facts.push({ kind: `${a.card!}_card`, departmentId: row.primary_department_id, at: now });
  }
  if (a.act === 'withdraw-card') {
    const { withdrawn, remaining } = withdrawal(row, a.cardsInForce ?? []);
    audit.card = payload.card = row.card;
    audit.remaining = payload.remaining = changes.card = remaining;
    withdrawnFacts = withdrawn ? [withdrawn.id] : [];
  }
  if (a.attachmentIds?.length) audit.attachmentIds = [...a.attachmentIds];
  const link = nextLink(row.audit_hash ? { seq: row.audit_seq, hash: row.audit_hash } : null, {
    taskId: row.id,
    at: now,
    actorId: a.actor.id,
    actorRole: a.actor.role,
    action: a.act,
    fromState: row.state,
    toState: row.state,
    data: audit,
    requestId: a.requestId,
  });
  const version = row.version + 1;
  const event: NewOutboxEvent = {
    event: ACT_EVENTS[a.act],
    payload: { ...payload, dueAt: row.due_at?.toISOString() ?? null, timeLeft: timeLeftOf(row, a.calendar, now), version },
  };
  const update: TaskUpdate = { id: row.id, changes, versionBump: 1, links: [link], events: [event], facts, ...(withdrawnFacts ? { withdrawnFacts } : {}) };
  return { row: { ...row, ...changes, version, audit_seq: link.seq, audit_hash: link.hash }, update };
}
