import type { TaskPriority } from '@duban/engine';
import type { RunningWorkflow } from '@duban/workflows';
import { RATINGS } from './task-facts.js';

/** A field of a record that cannot be imported, and why. */
export interface ImportProblem {
  path: string;
  message: string;
}

/** A historical task as POST /tasks/import takes it, checked. */
export interface HistoryRecord {
  workflow: RunningWorkflow;
  title: string;
  leads: string[];
  cos: string[];
  externalRef: string | undefined;
  createdAt: Date;
  dueAt: Date;
  acceptedAt: Date | undefined;
  closedAt: Date | undefined;
  state: string;
  terminal: boolean;
  priority: TaskPriority;
  rating: (typeof RATINGS)[number] | null;
  /** Working time the clock was paused, in suspensions that ended; the due date is judged moved on by it. */
  pausedWorkingMs: number;
  /** For a task imported in a pauseClock state: since when its clock has stood still. */
  pausedSince: Date | undefined;
  extensions: Date[];
  returns: Date[];
  cards: { color: 'yellow' | 'red'; at: Date }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads one record field by field, collecting every problem with its path so that a rejected
 * record names all that is wrong with it at once.
 */
class RecordReader {
  readonly errors: ImportProblem[] = [];

  constructor(
    private readonly r: Record<string, unknown>,
    private readonly departments: ReadonlySet<string>,
  ) {}

  fail(path: string, message: string): undefined {
    this.errors.push({ path, message });
    return undefined;
  }

  text(field: string, max: number, required: boolean): string | undefined {
    const v = this.r[field];
    if (v === undefined || v === null) return required ? this.fail(field, 'is required') : undefined;
    if (typeof v !== 'string' || v.trim() === '') return this.fail(field, 'must be a non-empty text');
    if (v.length > max) return this.fail(field, `must be at most ${max} characters`);
    return v;
  }

  date(path: string, required: boolean, v: unknown = this.r[path]): Date | undefined {
    if (v === undefined || v === null) return required ? this.fail(path, 'is required') : undefined;
    const d = typeof v === 'string' ? new Date(v) : undefined;
    if (!d || Number.isNaN(d.getTime())) return this.fail(path, 'must be an ISO 8601 date-time');
    return d;
  }

  departmentList(field: string, required: boolean): string[] | undefined {
    const v = this.r[field];
    if (v === undefined || v === null) return required ? this.fail(field, 'is required') : [];
    if (!Array.isArray(v) || (required && v.length === 0)) return this.fail(field, 'must be a non-empty list of department ids');
    const ids: string[] = [];
    v.forEach((id, i) => {
      if (typeof id !== 'string' || !UUID.test(id)) return this.fail(`${field}[${i}]`, 'must be a department id (uuid)');
      if (!this.departments.has(id.toLowerCase())) return this.fail(`${field}[${i}]`, `unknown department ${id}`);
      if (!ids.includes(id.toLowerCase())) ids.push(id.toLowerCase());
    });
    return ids;
  }

  /** A count dated at creation, or a list of dated occurrences. */
  occurrences(field: string, createdAt: Date | undefined): Date[] | undefined {
    const v = this.r[field];
    if (v === undefined || v === null || v === false) return [];
    if (v === true) return createdAt ? [createdAt] : [];
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 0 || v > 1000) return this.fail(field, 'must be a count from 0 to 1000, or a list of {at}');
      return createdAt ? Array.from({ length: v }, () => createdAt) : [];
    }
    if (!Array.isArray(v)) return this.fail(field, 'must be a count or a list of {at}');
    return v.map((o, i) => this.date(`${field}[${i}].at`, true, (o as { at?: unknown } | null)?.at)).filter((d): d is Date => d !== undefined);
  }

  cards(): HistoryRecord['cards'] {
    const cards: HistoryRecord['cards'] = [];
    const v = this.r.cards;
    if (v === undefined || v === null) return cards;
    if (!Array.isArray(v)) return this.fail('cards', 'must be a list of {color, at}') ?? cards;
    v.forEach((c, i) => {
      const color = (c as { color?: unknown } | null)?.color;
      if (color !== 'yellow' && color !== 'red') return this.fail(`cards[${i}].color`, 'must be yellow or red');
      const at = this.date(`cards[${i}].at`, true, (c as { at?: unknown }).at);
      if (at) cards.push({ color, at });
    });
    return cards;
  }

  /**
   * When the clock of a task imported in a pauseClock state (挂起) stopped: required there, so that
   * resuming it moves the due date on by the time paused since; refused for any other state.
   * @param paused whether the record's state pauses the clock; undefined when the state is unknown.
   */
  pausedSince(state: string | undefined, paused: boolean | undefined, createdAt: Date | undefined, now: Date): Date | undefined {
    const v = this.r.pausedSince;
    if (v === undefined || v === null) {
      return paused
        ? this.fail(
            'pausedSince',
            `“${state}”状态的任务计时已暂停，须给出暂停开始时间。Is required for a task in "${state}", whose clock is paused: when it stopped.`,
          )
        : undefined;
    }
    const at = this.date('pausedSince', true);
    if (!at || paused === undefined) return at;
    if (!paused)
      return this.fail(
        'pausedSince',
        `“${state}”状态的任务未暂停计时，请去掉 pausedSince 或给出暂停状态。A task in "${state}" is not paused; leave pausedSince out or give a paused state.`,
      );
    if (createdAt && at < createdAt) return this.fail('pausedSince', 'must not be before createdAt');
    if (at > now) return this.fail('pausedSince', 'must not be in the future');
    return at;
  }

  /** Values that are not free text: priority, rating, paused time. */
  choices(): Pick<HistoryRecord, 'priority' | 'rating' | 'pausedWorkingMs'> {
    const priority = this.r.priority ?? 'normal';
    if (priority !== 'normal' && priority !== 'urgent') this.fail('priority', 'must be normal or urgent');
    const rating = this.r.rating ?? null;
    if (rating !== null && !(RATINGS as readonly unknown[]).includes(rating)) this.fail('rating', `must be one of ${RATINGS.join(', ')}`);
    const paused = this.r.pausedWorkingMs ?? 0;
    if (typeof paused !== 'number' || !Number.isInteger(paused) || paused < 0)
      this.fail('pausedWorkingMs', 'must be a whole number of milliseconds, 0 or more');
    return { priority: priority as TaskPriority, rating: rating as HistoryRecord['rating'], pausedWorkingMs: paused as number };
  }
}

/**
 * Checks one record of a history import. `workflowOf` answers the latest version of a key, null
 * when unknown; `departments` holds every department id (lower case); `now` is the import's
 * instant (a clock cannot have stopped after it).
 * @returns the record, or every problem found with its path.
 */
export async function readHistoryRecord(
  value: unknown,
  departments: ReadonlySet<string>,
  workflowOf: (key: string) => Promise<RunningWorkflow | null>,
  now: Date = new Date(),
): Promise<HistoryRecord | ImportProblem[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ path: '', message: 'must be a JSON object' }];
  const read = new RecordReader(value as Record<string, unknown>, departments);
  const workflowKey = read.text('workflow', 64, true);
  const workflow = workflowKey ? await workflowOf(workflowKey) : null;
  if (workflowKey && !workflow) read.fail('workflow', `unknown workflow "${workflowKey}"`);
  const title = read.text('title', 500, true);
  const leads = read.departmentList('leadDepartmentIds', true);
  const cos = (read.departmentList('coDepartmentIds', false) ?? []).filter((d) => !leads?.includes(d));
  const externalRef = read.text('externalRef', 200, false);
  const createdAt = read.date('createdAt', true);
  const dueAt = read.date('dueAt', true);
  const acceptedAt = read.date('acceptedAt', false);
  const closedAt = read.date('closedAt', false);
  const state = read.text('state', 64, true);
  const stateDef = workflow && state ? workflow.definition.states.find((s) => s.key === state) : undefined;
  if (workflow && state && !stateDef) read.fail('state', `"${workflow.key}" has no state "${state}"`);
  if (stateDef?.terminal && !closedAt) read.fail('closedAt', `is required for a task in the final state "${state}"`);
  if (stateDef && !stateDef.terminal && closedAt) read.fail('closedAt', `a task in "${state}" is not closed; leave closedAt out or give a final state`);
  if (createdAt && closedAt && closedAt < createdAt) read.fail('closedAt', 'must not be before createdAt');
  if (createdAt && acceptedAt && acceptedAt < createdAt) read.fail('acceptedAt', 'must not be before createdAt');
  if (createdAt && dueAt && dueAt < createdAt) read.fail('dueAt', 'must not be before createdAt');
  const pausedSince = read.pausedSince(state, stateDef && stateDef.pauseClock === true, createdAt, now);
  const choices = read.choices();
  const extensions = read.occurrences('extensions', createdAt);
  const returns = read.occurrences('returned', createdAt);
  const cards = read.cards();
  if (read.errors.length > 0 || !workflow || !title || !leads || !createdAt || !dueAt || !state || !stateDef || !extensions || !returns) {
    return read.errors.length > 0 ? read.errors : [{ path: '', message: 'cannot be imported' }];
  }
  return {
    workflow,
    title,
    leads,
    cos,
    externalRef,
    createdAt,
    dueAt,
    acceptedAt,
    closedAt,
    state,
    terminal: stateDef.terminal === true,
    ...choices,
    pausedSince,
    extensions,
    returns,
    cards,
  };
}
