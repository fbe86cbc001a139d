import type { TaskRole, TransitionDefinition, WorkflowDefinition } from '@duban/engine';

/**
 * Who reads a notice, as its wording needs to know: the `unit` that does the work (owner,
 * co-owner, assignee) is told to act; an `overseer` (supervisor, creator, admin) is asked to
 * decide or to press the unit.
 */
export type Reader = 'unit' | 'overseer';

const UNIT: readonly TaskRole[] = ['owner', 'co-owner', 'assignee'];

/** The reader a role makes of its holder. */
export const readerOf = (role: TaskRole): Reader => (UNIT.includes(role) ? 'unit' : 'overseer');

/**
 * A role list split by reader, in the order unit, overseer, leaving out empty groups: one notice
 * per group, each worded for its reader (an escalation to ['owner', 'supervisor'] tells the owners
 * to act and asks the supervisors to press them). Pure.
 */
export function byReader(roles: readonly TaskRole[]): { reader: Reader; roles: TaskRole[] }[] {
  return (['unit', 'overseer'] as const).map((reader) => ({ reader, roles: roles.filter((r) => readerOf(r) === reader) })).filter((g) => g.roles.length > 0);
}

/** One group of the users told after a transition, and what they may do now. */
export interface NextReaders {
  reader: Reader;
  /** The roles of the group that may act on the new state (for a final state, the owners told of the outcome). */
  roles: TaskRole[];
  /** Labels of the actions they may take from the new state, in definition order. */
  actions: string[];
  /** Whether the task now waits on them: one of their actions takes it out of the state (approve, send back), not only one that keeps it there. */
  decides: boolean;
}

/**
 * Whom a transition into `state` concerns (issue 16 point 3), `taken` being the transition that
 * led there (a move that stays in its state is read by selfLoopReaders): the holders of the roles that the
 * definition allows to take a transition from it, grouped by reader; and, when the state is
 * final, the owners, told of the outcome though nothing is left for them to do (审核通过). Built-in
 * acts (urge, card) are not transitions and call nobody. The actor is left out by the caller. Pure.
 */
export function nextReaders(definition: WorkflowDefinition, state: string, taken?: TransitionDefinition): NextReaders[] {
  if (taken && taken.to === state && taken.from.includes(state)) return selfLoopReaders(definition, state, taken);
  const from = definition.transitions.filter((t) => t.from.includes(state));
  const groups = byReader([...new Set(from.flatMap((t) => t.allowed))]).map(({ reader, roles }) => {
    const theirs = from.filter((t) => t.allowed.some((r) => readerOf(r) === reader));
    return {
      reader,
      roles,
      actions: [...new Set(theirs.map((t) => t.label ?? t.action))],
      decides: theirs.some((t) => t.to !== state || (t.branches ?? []).some((b) => b.to !== state)),
    };
  });
  const final = definition.states.find((s) => s.key === state)?.terminal === true;
  const unit = groups.find((g) => g.reader === 'unit');
  if (final && !unit) groups.unshift({ reader: 'unit', roles: ['owner'], actions: [], decides: false });
  else if (final && unit && !unit.roles.includes('owner')) unit.roles.push('owner');
  return groups;
}

/**
 * A move that keeps the task in its state (进度填报, 交办经办人, the supervisor's own 延期, 会办意见)
 * changes what nobody may do, so telling everyone who may act there would only repeat the last
 * notice on each progress report. It concerns: the handler a task is handed to (`assignee`), the
 * owners when a supervisor changed their task (a new due date), and the lead unit when a co-unit
 * gave its opinion. A unit's own report tells nobody. Pure.
 */
function selfLoopReaders(definition: WorkflowDefinition, state: string, taken: TransitionDefinition): NextReaders[] {
  const actions = (reader: Reader) => [
    ...new Set(definition.transitions.filter((t) => t.from.includes(state) && t.allowed.some((r) => readerOf(r) === reader)).map((t) => t.label ?? t.action)),
  ];
  const unit = (roles: TaskRole[]): NextReaders[] => [{ reader: 'unit', roles, actions: actions('unit'), decides: false }];
  if (taken.requires?.includes('assignee')) return unit(['assignee']);
  if (taken.allowed.every((r) => readerOf(r) === 'overseer')) return unit(['owner']);
  if (taken.allowed.every((r) => r === 'co-owner')) return unit(['owner']);
  return [];
}
