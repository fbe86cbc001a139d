import type { StoredEntry } from '@duban/audit';
import type { PlannedTimer } from '@duban/engine';
import type { TaskChanges, TaskRow } from './task-row.js';

/**
 * What a writer hands TaskStore: rows and links already decided by the pure rules, so the store
 * only writes. Times are Dates; ids are uuids.
 */

/**
 * One row to write to the outbox (@duban/notifications' OutboxEvent is the row as read back); the
 * relay turns it into notices, webhook deliveries and e-mail.
 */
export interface NewOutboxEvent {
  event: string;
  payload: Record<string, unknown>;
}

/** A dated fact the reports count (task_events): a card, an extension, a return, an urge. */
export interface TaskFact {
  kind: 'yellow_card' | 'red_card' | 'extension' | 'return' | 'urge';
  departmentId: string | null;
  at: Date;
}

/** A card fact of a task in force, as a withdrawal reads it (task_events). */
export interface CardFact {
  /** The task_events id. */
  id: string;
  card: 'yellow' | 'red';
  at: Date;
}

/** The columns of a new tasks row: those a task row shows, and the report facts it may start with. */
export type NewTaskRow = Omit<
  TaskRow,
  | 'ref'
  | 'assignee_id'
  | 'escalation_level'
  | 'progress'
  | 'version'
  | 'audit_seq'
  | 'audit_hash'
  | 'owners'
  | 'co_opinions'
  | 'primary_department_id'
  | 'requested_due_at'
> & {
  /** DB-00000042; null: numbered by the store as it inserts (history import). */
  ref: string | null;
  primary_department_id: string;
  plan_id: string | null;
  accepted_on_time: boolean | null;
  handling_working_days: number | null;
  closed_early: boolean | null;
  rating: string | null;
  /** A history record without an externalRef: the sha256 of its canonical JSON (unique); null otherwise. */
  import_key: string | null;
};

/** A task to insert with everything that comes with it. */
export interface TaskInsert {
  task: NewTaskRow;
  /** In order: leads first (the first is the primary lead), then co-units. */
  owners: { departmentId: string; role: 'lead' | 'co' }[];
  /** The first link of its audit chain. */
  link: StoredEntry;
  events: NewOutboxEvent[];
  facts: TaskFact[];
  timers: PlannedTimer[];
}

/** A co-unit's opinion (会办意见) to record: it replaces the unit's earlier one (task_co_opinions). */
export interface CoOpinionWrite {
  departmentId: string;
  at: Date;
  comment: string;
  attachmentIds: string[];
  actorId: string | null;
}

/** How a write leaves the task's pending timers. */
export type TimerWrite =
  /** A transition: exactly these are pending now (a cancelled one planned again comes back). */
  | { replace: PlannedTimer[] }
  /** A firing: these are added, the others stay as they are. */
  | { add: PlannedTimer[] }
  /** A re-plan (the calendar changed): live timers of these keys move to these instants; nothing is added or cancelled. */
  | { move: Pick<PlannedTimer, 'key' | 'dueAt'>[] };

/** A change to one existing task, appended to its audit chain. */
export interface TaskUpdate {
  id: string;
  changes: TaskChanges;
  /** How much `version` grows: what a client sees changed; an audit-only append (a reminder) is 0. */
  versionBump: number;
  /** Links appended in order to the chain the row's head ends; the last is the new head. */
  links: StoredEntry[];
  events: NewOutboxEvent[];
  facts: TaskFact[];
  /** Card facts (task_events ids) of this task withdrawn as given by mistake: marked withdrawn at the write's `now`. */
  withdrawnFacts?: string[];
  timers?: TimerWrite;
  /** Opinions co-units give with this write. */
  coOpinions?: CoOpinionWrite[];
  /** The task's owners from now on, in order (leads first), replacing the ones it had: a revised plan's. */
  owners?: { departmentId: string; role: 'lead' | 'co' }[];
}
