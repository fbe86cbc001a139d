import type { TaskCard, TaskPriority } from '@duban/db';

export interface TaskOwnerRow {
  departmentId: string;
  role: 'lead' | 'co';
}

/** A co-unit's opinion (会办意见) as the task queries read it (task_co_opinions), with the unit's name. */
export interface CoOpinionRow {
  departmentId: string;
  departmentName: string;
  /** ISO instant (as json_agg writes it). */
  at: string;
  comment: string;
  attachmentIds: string[];
  actorId: string | null;
}

/**
 * A tasks row as the task queries select it (TASK_COLUMNS): what the views show, what the rules
 * decide on and the audit chain head that the next write extends. Times are Dates, durations
 * milliseconds.
 */
export interface TaskRow {
  id: string;
  ref: string;
  workflow_key: string;
  workflow_version: number;
  title: string;
  body: string | null;
  state: string;
  state_entered_at: Date;
  parent_id: string | null;
  external_ref: string | null;
  priority: TaskPriority;
  assignee_id: string | null;
  due_at: Date | null;
  /** The due date an extension request (a transition that proposes dueAt) asked for, until it is granted or the task moves on. */
  requested_due_at: Date | null;
  paused_since: Date | null;
  card: TaskCard | null;
  escalation_level: number;
  progress: number | null;
  data: Record<string, unknown>;
  version: number;
  created_by: string | null;
  created_at: Date;
  closed_at: Date | null;
  /** Working time spent suspended (clock paused); the due date was moved on by as much. */
  paused_working_ms: number;
  /** After this instant the open, running task's light is yellow for lack of time (yellowFromOf); null: never. */
  yellow_from: Date | null;
  /** The first lead department: the one the reports count the task for. */
  primary_department_id: string | null;
  accepted_at: Date | null;
  /** When the task was last rated (回访); null before its first rating. */
  rated_at: Date | null;
  /** The last link of the task's audit chain (0 and null before the first). */
  audit_seq: number;
  audit_hash: string | null;
  owners: TaskOwnerRow[];
  /** The co-units' opinions given so far, oldest first. */
  co_opinions: CoOpinionRow[];
  /** A child's parent's lead departments (分解): they supervise it. Empty for a task without a parent. */
  supervising_department_ids: string[];
}

/** The columns of TaskRow over the tasks alias `t`, owners in their order, co-opinions oldest first. */
export const TASK_COLUMNS = `t.id, t.ref, t.workflow_key, t.workflow_version, t.title, t.body, t.state, t.state_entered_at, t.parent_id,
  t.external_ref, t.priority, t.assignee_id, t.due_at, t.requested_due_at, t.paused_since, t.card, t.escalation_level, t.progress, t.data, t.version,
  t.created_by, t.created_at, t.closed_at, t.paused_working_ms::float8 AS paused_working_ms, t.primary_department_id, t.accepted_at,
  t.rated_at, t.yellow_from, t.audit_seq, t.audit_hash, t.supervising_department_ids,
  (SELECT coalesce(json_agg(json_build_object('departmentId', o.department_id, 'role', o.role) ORDER BY o.position), '[]')
     FROM task_owners o WHERE o.task_id = t.id) AS owners,
  (SELECT coalesce(json_agg(json_build_object('departmentId', c.department_id,
                                              'departmentName', (SELECT d.name FROM departments d WHERE d.id = c.department_id),
                                              'at', c.at, 'comment', c.comment, 'attachmentIds', c.attachment_ids, 'actorId', c.actor_id)
                            ORDER BY c.at, c.department_id), '[]')
     -- The unit's name looked up by key for each opinion: a task without opinions reads no department.
     FROM task_co_opinions c WHERE c.task_id = t.id) AS co_opinions`;

/** What a write changes on a task; absent columns stay as they are. */
export interface TaskChanges {
  state?: string;
  state_entered_at?: Date;
  due_at?: Date | null;
  requested_due_at?: Date | null;
  paused_since?: Date | null;
  paused_working_ms?: number;
  yellow_from?: Date | null;
  progress?: number;
  data?: Record<string, unknown>;
  rating?: string;
  rated_at?: Date;
  assignee_id?: string;
  card?: TaskCard | null;
  escalation_level?: number;
  closed_at?: Date | null;
  handling_working_days?: number | null;
  closed_early?: boolean | null;
  accepted_at?: Date;
  accepted_on_time?: boolean | null;
  /** A revised plan's wording and owners (plan-revision.ts). */
  title?: string;
  body?: string | null;
  primary_department_id?: string;
  /** A revised plan's item leads, supervising its counties' shares (plan-revision.ts). */
  supervising_department_ids?: string[];
}

/**
 * The columns a transition may change, with their SQL types: the only columns TaskStore's
 * update statement sets besides version, updated_at and the audit head.
 */
export const CHANGEABLE_COLUMNS = {
  state: 'text',
  state_entered_at: 'timestamptz',
  due_at: 'timestamptz',
  requested_due_at: 'timestamptz',
  paused_since: 'timestamptz',
  paused_working_ms: 'bigint',
  yellow_from: 'timestamptz',
  progress: 'int',
  data: 'jsonb',
  rating: 'text',
  rated_at: 'timestamptz',
  assignee_id: 'uuid',
  card: 'text',
  escalation_level: 'int',
  closed_at: 'timestamptz',
  handling_working_days: 'float8',
  closed_early: 'boolean',
  accepted_at: 'timestamptz',
  accepted_on_time: 'boolean',
  title: 'text',
  body: 'text',
  primary_department_id: 'uuid',
  supervising_department_ids: 'uuid[]',
} as const satisfies Record<keyof TaskChanges, string>;

export type ChangeableColumn = keyof typeof CHANGEABLE_COLUMNS;
