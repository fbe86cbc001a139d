import { CARDS, type Card, type RequirableInput, type TaskRole } from './definition.js';

/**
 * Acts every workflow has besides its transitions (API.md Tasks, "Built-in acts"): 催办 (urge),
 * 亮牌 (card by hand) and 撤销亮牌 (withdraw a card given by mistake). They change no state; who
 * may take them is the engine's rule, not a definition's. `requires` names the inputs the
 * console asks for (`card` is the colour, yellow or red); `allowed` the task roles that may take
 * them (DOMAIN.md: supervisors urge and give cards; an admin corrects a card given by mistake).
 */
export const BUILT_IN_ACTS = {
  urge: { label: '催办', requires: ['comment'], allowed: ['supervisor', 'creator', 'admin'] },
  card: { label: '亮牌', requires: ['card', 'comment'], allowed: ['supervisor', 'admin'] },
  'withdraw-card': { label: '撤销亮牌', requires: ['comment'], allowed: ['admin'] },
} as const satisfies Record<string, { label: string; requires: readonly (RequirableInput | 'card')[]; allowed: readonly TaskRole[] }>;

export type BuiltInAct = keyof typeof BUILT_IN_ACTS;

/** Whether `action` names a built-in act rather than a transition of the definition. */
export function isBuiltInAct(action: string): action is BuiltInAct {
  return Object.hasOwn(BUILT_IN_ACTS, action);
}

/** How long after urging a task the same user may not urge it again: a double click is not two urges (issue 16.1). */
export const URGE_COOLDOWN_MS = 10 * 60_000;

/** Cards in the order they go up. */
const CARD_RANK: Record<Card, number> = { yellow: 1, red: 2 };

/** What a built-in act carries (POST /tasks/:id/actions). */
export interface ActInput {
  comment?: string | null;
  /** The colour of a card by hand. */
  card?: string | null;
}

/** The task as a built-in act is judged on, read under its lock. */
export interface ActFacts {
  /** Not in a terminal state of its workflow. */
  open: boolean;
  /** The card the task carries now. */
  card: Card | null;
  /** When the caller last urged this task (only asked for an urge); null when never. */
  lastUrgeAt?: Date | null;
  /** The moment of the act (the database's clock). */
  now: Date;
}

export type ActDecision =
  | { kind: 'allowed'; act: BuiltInAct; card?: Card }
  /** The task is closed: 409, acts are for open tasks. */
  | { kind: 'not-open' }
  /** None of the caller's roles may take the act: 403. */
  | { kind: 'forbidden'; allowed: TaskRole[] }
  /** The caller urged this task less than URGE_COOLDOWN_MS ago: 409, saying when the next urge is possible. */
  | { kind: 'urged-recently'; lastUrgeAt: Date; nextAt: Date }
  /** A required input is missing or not one of its values: 400 naming the field. */
  | { kind: 'missing-input'; field: 'comment' | 'card' }
  | { kind: 'invalid-card'; value: string }
  /** A card only goes up (yellow, then red): 409. */
  | { kind: 'card-not-higher'; current: Card; asked: Card }
  /** Nothing to withdraw: 409. */
  | { kind: 'no-card' };

function present(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

/**
 * Whether the holder of `roles` may take the built-in act `act` on a task with these facts, and
 * why not. Checked in the order a person wants to hear it: the task is closed (409), the caller
 * may not (403), the caller urged it a moment ago (409, before asking for a comment), an input is
 * missing or wrong (400), the card would not go up or there is none to withdraw (409). Pure.
 */
export function decideAct(act: BuiltInAct, roles: readonly TaskRole[], input: ActInput, facts: ActFacts): ActDecision {
  const { allowed } = BUILT_IN_ACTS[act];
  if (!facts.open) return { kind: 'not-open' };
  if (!allowed.some((role) => roles.includes(role))) return { kind: 'forbidden', allowed: [...allowed] };
  if (act === 'urge' && facts.lastUrgeAt) {
    const nextAt = new Date(facts.lastUrgeAt.getTime() + URGE_COOLDOWN_MS);
    if (facts.now.getTime() < nextAt.getTime()) return { kind: 'urged-recently', lastUrgeAt: facts.lastUrgeAt, nextAt };
  }
  if (act === 'card') {
    if (!present(input.card)) return { kind: 'missing-input', field: 'card' };
    if (!(CARDS as readonly unknown[]).includes(input.card)) return { kind: 'invalid-card', value: String(input.card) };
  }
  if (!present(input.comment)) return { kind: 'missing-input', field: 'comment' };
  if (act === 'card') {
    const asked = input.card as Card;
    if (facts.card && CARD_RANK[asked] <= CARD_RANK[facts.card]) return { kind: 'card-not-higher', current: facts.card, asked };
    return { kind: 'allowed', act, card: asked };
  }
  if (act === 'withdraw-card' && !facts.card) return { kind: 'no-card' };
  return { kind: 'allowed', act };
}

/**
 * The built-in acts the holder of `roles` may take on a task now, in BUILT_IN_ACTS order: none on
 * a closed task; `card` while a higher card is left to give, `withdraw-card` while the task has
 * one. The urge's 10-minute pause is per user and is not looked up for a view: an urge within it
 * answers 409 saying when. Pure.
 */
export function builtInActsAllowed(roles: readonly TaskRole[], facts: Pick<ActFacts, 'open' | 'card'>): BuiltInAct[] {
  if (!facts.open) return [];
  return (Object.keys(BUILT_IN_ACTS) as BuiltInAct[]).filter((act) => {
    if (!BUILT_IN_ACTS[act].allowed.some((role) => roles.includes(role))) return false;
    if (act === 'card') return facts.card !== 'red';
    if (act === 'withdraw-card') return facts.card !== null;
    return true;
  });
}

/** The higher of two cards (null: none). */
export function higherCard(a: Card | null, b: Card | null): Card | null {
  if (!a) return b;
  if (!b) return a;
  return CARD_RANK[a] >= CARD_RANK[b] ? a : b;
}
