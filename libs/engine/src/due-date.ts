import type { TransitionDefinition } from './definition.js';

/** Whether a transition takes a `dueAt` input: it requires one, proposes one (延期申请) or grants one (同意延期). */
export function takesDueAt(transition: TransitionDefinition): boolean {
  return transition.proposes === 'dueAt' || transition.grants === 'dueAt' || (transition.requires ?? []).includes('dueAt');
}

/** What a transition does to a task's due date and to the date its extension request asked for. */
export type DueDateOutcome =
  /** The due date stays; the requested date is `requestedDueAt` afterwards (kept, or null once the task leaves its state). */
  | { kind: 'unchanged'; requestedDueAt: Date | null }
  /** A request (proposes): the date asked for is kept on the task; the due date in force stays. */
  | { kind: 'proposed'; requestedDueAt: Date }
  /** The due date becomes `dueAt`: given, or (`granted`) the date the request asked for. The request is settled. */
  | { kind: 'set'; dueAt: Date; granted: boolean; requestedDueAt: null }
  /**
   * The input cannot be used: `not-a-date`, `not-in-future` (a date given that is not after now),
   * `missing` (a grant without a date given or asked for), `request-passed` (the date asked for
   * has passed meanwhile: the approver must give a new one).
   */
  | { kind: 'invalid'; problem: 'not-a-date' | 'not-in-future' | 'missing' | 'request-passed'; requestedDueAt?: Date };

/**
 * The due-date rule of a transition taken at `now` (API.md Tasks, issue 16 point 4):
 * - `proposes: 'dueAt'` (申请延期) records the date given, which must lie in the future, as the
 *   requested date; the due date does not move until someone grants it;
 * - `grants: 'dueAt'` (同意延期) sets the due date to the date given or, without one, to the
 *   requested date (which must still lie in the future); a transition requiring dueAt sets the date given;
 *   either settles the request (requested date null);
 * - any other transition keeps the requested date while the task stays in its state and drops it
 *   when the task leaves it (不同意延期, or any other way out of the waiting state).
 * `leavesState` says whether the transition moves the task to another state. Pure.
 */
export function dueDateRule(
  transition: TransitionDefinition,
  input: { dueAt?: string | Date | null },
  requestedDueAt: Date | null,
  leavesState: boolean,
  now: Date,
): DueDateOutcome {
  const given = input.dueAt === undefined || input.dueAt === null || input.dueAt === '' ? null : new Date(input.dueAt);
  if (given && Number.isNaN(given.getTime())) return { kind: 'invalid', problem: 'not-a-date' };
  if (given && given.getTime() <= now.getTime()) return { kind: 'invalid', problem: 'not-in-future' };
  if (transition.proposes === 'dueAt') return given ? { kind: 'proposed', requestedDueAt: given } : { kind: 'unchanged', requestedDueAt: null };
  const sets = transition.grants === 'dueAt' || (transition.requires ?? []).includes('dueAt');
  if (!sets) return { kind: 'unchanged', requestedDueAt: leavesState ? null : requestedDueAt };
  if (given) return { kind: 'set', dueAt: given, granted: false, requestedDueAt: null };
  if (transition.grants !== 'dueAt' || !requestedDueAt) return { kind: 'invalid', problem: 'missing' };
  if (requestedDueAt.getTime() <= now.getTime()) return { kind: 'invalid', problem: 'request-passed', requestedDueAt };
  return { kind: 'set', dueAt: requestedDueAt, granted: true, requestedDueAt: null };
}
