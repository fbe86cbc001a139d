import type { RequirableInput, TaskRole, TransitionDefinition, WorkflowDefinition } from './definition.js';

/** What an action carries (API.md: POST /tasks/:id/actions). */
export interface ActionInput {
  comment?: string | null;
  rating?: string | null;
  dueAt?: string | Date | null;
  progress?: number | null;
  assigneeId?: string | null;
}

export type Decision =
  | { kind: 'allowed'; transition: TransitionDefinition; from: string; to: string }
  /** The action does not exist from this state: 409, with what the caller may do instead. */
  | { kind: 'not-allowed'; state: string; allowedActions: string[] }
  /** The action exists here, but none of the caller's roles may take it: 403. */
  | { kind: 'forbidden'; allowed: TaskRole[] }
  /** The task has taken this action as often as the definition allows: 409. */
  | { kind: 'limit-reached'; limit: number; allowedActions: string[] }
  /** A required input is missing: 400 naming the field as the request body spells it. */
  | { kind: 'missing-input'; field: keyof ActionInput; requirement: RequirableInput };

const INPUT_FIELD: Record<RequirableInput, keyof ActionInput> = {
  comment: 'comment',
  rating: 'rating',
  dueAt: 'dueAt',
  progress: 'progress',
  assignee: 'assigneeId',
};

function present(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  return true;
}

function mayTake(transition: TransitionDefinition, roles: readonly TaskRole[]): boolean {
  return transition.allowed.some((role) => roles.includes(role));
}

/** Action names the holder of these roles may take from this state, in definition order. */
export function allowedActions(definition: WorkflowDefinition, state: string, roles: readonly TaskRole[]): string[] {
  const actions = definition.transitions.filter((t) => t.from.includes(state) && mayTake(t, roles)).map((t) => t.action);
  return [...new Set(actions)];
}

/**
 * `taken` counts how often the task already took the action; callers need it only for
 * transitions with a `limit` (see `limitOf`).
 */
export function decide(definition: WorkflowDefinition, state: string, roles: readonly TaskRole[], action: string, input: ActionInput, taken = 0): Decision {
  const transition = definition.transitions.find((t) => t.action === action && t.from.includes(state));
  if (!transition) return { kind: 'not-allowed', state, allowedActions: allowedActions(definition, state, roles) };
  if (!mayTake(transition, roles)) return { kind: 'forbidden', allowed: transition.allowed };
  for (const requirement of transition.requires ?? []) {
    const field = INPUT_FIELD[requirement];
    if (!present(input[field])) return { kind: 'missing-input', field, requirement };
  }
  if (transition.limit !== undefined && taken >= transition.limit) {
    return { kind: 'limit-reached', limit: transition.limit, allowedActions: allowedActions(definition, state, roles).filter((a) => a !== action) };
  }
  const branch = transition.branches?.find((b) => typeof input.rating === 'string' && (b.rating as string[]).includes(input.rating));
  return { kind: 'allowed', transition, from: state, to: branch?.to ?? transition.to };
}

/** The limit of the action from this state, if it has one: the caller then counts and passes `taken`. */
export function limitOf(definition: WorkflowDefinition, state: string, action: string): number | undefined {
  return definition.transitions.find((t) => t.action === action && t.from.includes(state))?.limit;
}
