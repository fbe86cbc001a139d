import type { BusinessCalendar } from '@duban/calendar';
import type { RequirableInput, TaskRole, TransitionDefinition, WorkflowDefinition } from './definition.js';

/** What an action carries (API.md: POST /tasks/:id/actions). */
export interface ActionInput {
  comment?: string | null;
  rating?: string | null;
  dueAt?: string | Date | null;
  progress?: number | null;
  assigneeId?: string | null;
  /** The contact person a reply letter names (联系人，联系电话). */
  contact?: ReplyContact | null;
  /** The units a reply letter is copied to (抄送), by name: some are outside the system (政协提案委). */
  cc?: readonly string[] | null;
  /** Files of the task the action carries; the requirement `attachment` wants at least one. */
  attachmentIds?: readonly string[] | null;
}

/** 联系人：谢迪生，联系电话：13631094784. */
export interface ReplyContact {
  name: string;
  phone: string;
}

/** A required input the action lacks, named as the request body spells it. */
export interface MissingInput {
  field: keyof ActionInput;
  requirement: RequirableInput;
}

export type Decision =
  | { kind: 'allowed'; transition: TransitionDefinition; from: string; to: string }
  /** The action does not exist from this state: 409, with what the caller may do instead. */
  | { kind: 'not-allowed'; state: string; allowedActions: string[] }
  /** The action exists here, but none of the caller's roles may take it: 403. */
  | { kind: 'forbidden'; allowed: TaskRole[] }
  /** The task has taken this action as often as the definition allows: 409. */
  | { kind: 'limit-reached'; limit: number; allowedActions: string[] }
  /**
   * Required inputs are missing: 400 naming each field as the request body spells it (`missing`,
   * in the order the transition requires them; `field` and `requirement` are the first's).
   */
  | ({ kind: 'missing-input'; transition: TransitionDefinition; missing: MissingInput[] } & MissingInput)
  /** The action's time window (transition `window`) is closed: 409, saying which rule and since when. */
  | { kind: 'outside-window'; transition: TransitionDefinition; window: ClosedWindow; allowedActions: string[] };

/** What a transition's time window is judged on: the moment, the task's state entry and due date. */
export interface ActionClock {
  now: Date;
  /** When the task entered its current state. */
  stateEnteredAt: Date;
  /** The due date in force; null when the task has none or its clock is paused. */
  dueAt: Date | null;
  calendar: BusinessCalendar;
}

/** The rule of a window that is closed, and the instant it closed. */
export type ClosedWindow = { rule: 'within'; within: string; closedAt: Date } | { rule: 'beforeDue'; closedAt: Date };

/**
 * Whether the transition's window is closed at `clock.now`, and by which rule: `within` closes
 * after that long from entering the state (the end instant still counts), `beforeDue` at the due
 * date. Null when it is open or the transition has none. Pure.
 */
export function closedWindow(transition: TransitionDefinition, clock: ActionClock): ClosedWindow | null {
  const window = transition.window;
  if (!window) return null;
  const now = clock.now.getTime();
  if (window.within !== undefined) {
    const end = clock.calendar.add(clock.stateEnteredAt, window.within);
    if (now > end.getTime()) return { rule: 'within', within: window.within, closedAt: end };
  }
  if (window.beforeDue && clock.dueAt && now >= clock.dueAt.getTime()) return { rule: 'beforeDue', closedAt: clock.dueAt };
  return null;
}

/**
 * The latest due date the transition may set: `maxExtension` after the due date in force (after
 * `now` when the task has none); null when the transition sets no cap. Pure.
 */
export function latestDueAt(transition: TransitionDefinition, dueAt: Date | null, now: Date, calendar: BusinessCalendar): Date | null {
  return transition.maxExtension ? calendar.add(dueAt ?? now, transition.maxExtension) : null;
}

const INPUT_FIELD: Record<RequirableInput, keyof ActionInput> = {
  comment: 'comment',
  rating: 'rating',
  dueAt: 'dueAt',
  progress: 'progress',
  assignee: 'assigneeId',
  contact: 'contact',
  cc: 'cc',
  attachment: 'attachmentIds',
};

/** Given and not blank: a text with more than spaces, a list with an entry, an object whose texts are all given (a contact's name and phone). */
function present(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.values(value).every((v) => typeof v !== 'string' || v.trim().length > 0);
  return true;
}

function mayTake(transition: TransitionDefinition, roles: readonly TaskRole[]): boolean {
  return transition.allowed.some((role) => roles.includes(role));
}

/**
 * Action names the holder of these roles may take from this state, in definition order; with a
 * clock, without those whose time window is closed now.
 */
export function allowedActions(definition: WorkflowDefinition, state: string, roles: readonly TaskRole[], clock?: ActionClock): string[] {
  const actions = definition.transitions.filter((t) => t.from.includes(state) && mayTake(t, roles) && !(clock && closedWindow(t, clock))).map((t) => t.action);
  return [...new Set(actions)];
}

/**
 * `taken` counts how often the task already took the action; callers need it only for
 * transitions with a `limit` (see `limitOf`). Time windows are judged on `clock`: a caller
 * acting on a task gives it; without it no window is closed.
 */
export function decide(
  definition: WorkflowDefinition,
  state: string,
  roles: readonly TaskRole[],
  action: string,
  input: ActionInput,
  taken = 0,
  clock?: ActionClock,
): Decision {
  const transition = definition.transitions.find((t) => t.action === action && t.from.includes(state));
  const others = () => allowedActions(definition, state, roles, clock).filter((a) => a !== action);
  if (!transition) return { kind: 'not-allowed', state, allowedActions: allowedActions(definition, state, roles, clock) };
  if (!mayTake(transition, roles)) return { kind: 'forbidden', allowed: transition.allowed };
  // Too late is said before what is missing: nobody should fill in a form to hear it.
  const closed = clock ? closedWindow(transition, clock) : null;
  if (closed) return { kind: 'outside-window', transition, window: closed, allowedActions: others() };
  const missing = (transition.requires ?? []).map((requirement) => ({ field: INPUT_FIELD[requirement], requirement })).filter((m) => !present(input[m.field]));
  if (missing.length > 0) return { kind: 'missing-input', transition, missing, ...missing[0]! };
  if (transition.limit !== undefined && taken >= transition.limit) {
    return { kind: 'limit-reached', limit: transition.limit, allowedActions: others() };
  }
  const branch = transition.branches?.find((b) => typeof input.rating === 'string' && (b.rating as string[]).includes(input.rating));
  return { kind: 'allowed', transition, from: state, to: branch?.to ?? transition.to };
}

/** The limit of the action from this state, if it has one: the caller then counts and passes `taken`. */
export function limitOf(definition: WorkflowDefinition, state: string, action: string): number | undefined {
  return definition.transitions.find((t) => t.action === action && t.from.includes(state))?.limit;
}
