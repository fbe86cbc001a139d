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

export function decide(
  definition: WorkflowDefinition,
  state: string,
  roles: readonly TaskRole[],
  action: string,
  input: ActionInput,
): Decision {
  const transition = definition.transitions.find((t) => t.action === action && t.from.includes(state));
  if (!transition) return { kind: 'not-allowed', state, allowedActions: allowedActions(definition, state, roles) };
  if (!mayTake(transition, roles)) return { kind: 'forbidden', allowed: transition.allowed };
  for (const requirement of transition.requires ?? []) {
    const field = INPUT_FIELD[requirement];
    if (!present(input[field])) return { kind: 'missing-input', field, requirement };
  }
  return { kind: 'allowed', transition, from: state, to: transition.to };
}
