import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { DepartmentEntity } from './department.entity.js';
import { PlanEntity } from './plan.entity.js';
import { UserEntity } from './user.entity.js';

export type TaskPriority = 'normal' | 'urgent';
export type TaskCard = 'yellow' | 'red';

@Entity({ name: 'tasks' })
@Check('tasks_priority_check', `"priority" IN ('normal', 'urgent')`)
@Check('tasks_card_check', `"card" IS NULL OR "card" IN ('yellow', 'red')`)
@Check('tasks_rating_check', `"rating" IS NULL OR "rating" IN ('satisfied', 'basically_satisfied', 'unsatisfied')`)
@Check('tasks_progress_check', `"progress" IS NULL OR ("progress" >= 0 AND "progress" <= 100)`)
@Index('tasks_created_at_id_idx', ['createdAt', 'id'])
@Index('tasks_due_at_open_idx', ['dueAt'], { where: '"closed_at" IS NULL' })
@Index('tasks_due_at_idx', ['dueAt'])
@Index('tasks_overdue_span_idx', { synchronize: false })
// Covering indexes (INCLUDE), written in the TaskFacts migration.
@Index('tasks_created_at_kpi_idx', { synchronize: false })
@Index('tasks_closed_at_idx', { synchronize: false })
@Index('tasks_accepted_at_idx', { synchronize: false })
@Index('tasks_primary_department_id_created_at_idx', ['primaryDepartmentId', 'createdAt'])
@Index('tasks_title_trgm_idx', { synchronize: false })
@Index('tasks_owner_department_ids_idx', { synchronize: false })
// The console's list filters and the supervisor's desk (TaskLists migration).
@Index('tasks_yellow_from_open_idx', ['yellowFrom'], { where: '"closed_at" IS NULL' })
@Index('tasks_card_idx', ['card'], { where: '"card" IS NOT NULL' })
@Index('tasks_escalated_idx', ['createdAt', 'id'], { where: '"escalation_level" > 0' })
@Index('tasks_open_state_idx', ['state', 'workflowKey', 'workflowVersion'], { where: '"closed_at" IS NULL' })
@Index('tasks_open_department_idx', { synchronize: false })
@Index('tasks_lead_department_ids_idx', { synchronize: false })
@Index('tasks_supervising_department_ids_idx', { synchronize: false })
export class TaskEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'tasks_pkey' })
  id!: string;

  /** What people quote on the phone: DB-00000123. */
  @Index('tasks_ref_key', { unique: true })
  @Column({ type: 'text' })
  ref!: string;

  @Column({ name: 'workflow_key', type: 'text' })
  workflowKey!: string;

  @Column({ name: 'workflow_version', type: 'integer' })
  workflowVersion!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ type: 'text' })
  state!: string;

  /**
   * Copies of task_owners kept by a trigger, for the scope condition: GIN indexes on them let
   * PostgreSQL find a department's tasks without scanning tasks, for a page and for its total.
   */
  @Column({ name: 'owner_department_ids', type: 'uuid', array: true, default: () => "'{}'" })
  ownerDepartmentIds!: string[];

  @Column({ name: 'lead_department_ids', type: 'uuid', array: true, default: () => "'{}'" })
  leadDepartmentIds!: string[];

  /**
   * A child task's (分解给下级单位) supervising departments: its parent's lead departments, set
   * when it is created. They see it and act on it as its supervisor; empty for a task without a parent.
   */
  @Column({ name: 'supervising_department_ids', type: 'uuid', array: true, default: () => "'{}'" })
  supervisingDepartmentIds!: string[];

  @Column({ name: 'state_entered_at', type: 'timestamptz' })
  stateEnteredAt!: Date;

  @Index('tasks_parent_id_idx')
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  /** The plan this task is an item of (or a county's share of an item). */
  @Index('tasks_plan_id_idx')
  @Column({ name: 'plan_id', type: 'uuid', nullable: true })
  planId!: string | null;

  @Index('tasks_external_ref_key', { unique: true })
  @Column({ name: 'external_ref', type: 'text', nullable: true })
  externalRef!: string | null;

  /** sha256 of an imported record's canonical JSON when it had no externalRef: a retried import creates nothing twice. */
  @Index('tasks_import_key_key', { unique: true })
  @Column({ name: 'import_key', type: 'text', nullable: true })
  importKey!: string | null;

  @Column({ type: 'text', default: 'normal' })
  priority!: TaskPriority;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  /** The due date in force: set at creation or by an extension, moved on by paused working time. */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  /** The due date an extension request asked for, shown to the approver until it is granted or refused. */
  @Column({ name: 'requested_due_at', type: 'timestamptz', nullable: true })
  requestedDueAt!: Date | null;

  /** Set while the task sits in a pauseClock state. */
  @Column({ name: 'paused_since', type: 'timestamptz', nullable: true })
  pausedSince!: Date | null;

  @Column({ type: 'text', nullable: true })
  card!: TaskCard | null;

  @Column({ name: 'escalation_level', type: 'integer', default: 0 })
  escalationLevel!: number;

  @Column({ type: 'integer', nullable: true })
  progress!: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  /** Optimistic concurrency: clients send it back as expectedVersion. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  /** The last link of the task's audit chain, read under the row lock by the next command. */
  @Column({ name: 'audit_seq', type: 'integer', default: 0 })
  auditSeq!: number;

  @Column({ name: 'audit_hash', type: 'text', nullable: true })
  auditHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** The first lead (主要牵头单位): reports count a task for this department. */
  @Column({ name: 'primary_department_id', type: 'uuid', nullable: true })
  primaryDepartmentId!: string | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  /** Accepted within the acceptance SLA of the workflow version the task runs on (签收及时). */
  @Column({ name: 'accepted_on_time', type: 'boolean', nullable: true })
  acceptedOnTime!: boolean | null;

  /** Working time spent in pauseClock states over the task's life. */
  @Column({ name: 'paused_working_ms', type: 'bigint', default: 0 })
  pausedWorkingMs!: string;

  /**
   * After this instant the light of the task, open and not paused, is yellow for lack of time: less
   * than a fifth of its allowed working time remains. Counted on its calendar at each change of
   * the due date or paused time and at re-plans; null: never.
   */
  @Column({ name: 'yellow_from', type: 'timestamptz', nullable: true })
  yellowFrom!: Date | null;

  /** Set on closing: working time from creation, less paused time, in working days of its calendar. */
  @Column({ name: 'handling_working_days', type: 'double precision', nullable: true })
  handlingWorkingDays!: number | null;

  /** Set on closing: closed on a calendar day before the due date's day (提前办结). */
  @Column({ name: 'closed_early', type: 'boolean', nullable: true })
  closedEarly!: boolean | null;

  @Column({ type: 'text', nullable: true })
  rating!: 'satisfied' | 'basically_satisfied' | 'unsatisfied' | null;

  /** When the last rating was given (回访): one given since closing is the closing's call-back. */
  @Column({ name: 'rated_at', type: 'timestamptz', nullable: true })
  ratedAt!: Date | null;

  @ManyToOne(() => TaskEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'tasks_parent_id_fkey' })
  parent?: Relation<TaskEntity>;

  @ManyToOne(() => PlanEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plan_id', foreignKeyConstraintName: 'tasks_plan_id_fkey' })
  plan?: Relation<PlanEntity>;

  @ManyToOne(() => DepartmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'primary_department_id', foreignKeyConstraintName: 'tasks_primary_department_id_fkey' })
  primaryDepartment?: Relation<DepartmentEntity>;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_id', foreignKeyConstraintName: 'tasks_assignee_id_fkey' })
  assignee?: Relation<UserEntity>;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'tasks_created_by_fkey' })
  creator?: Relation<UserEntity>;

  @OneToMany(() => TaskOwnerEntity, (owner) => owner.task)
  owners?: Relation<TaskOwnerEntity[]>;
}

@Entity({ name: 'task_owners' })
@Check('task_owners_role_check', `"role" IN ('lead', 'co')`)
/** (department_id, created_at DESC, task_id DESC) INCLUDE the list filters: a department's GET /tasks. */
@Index('task_owners_list_idx', { synchronize: false })
export class TaskOwnerEntity {
  @PrimaryColumn({ name: 'task_id', type: 'uuid', primaryKeyConstraintName: 'task_owners_pkey' })
  taskId!: string;

  @PrimaryColumn({ name: 'department_id', type: 'uuid', primaryKeyConstraintName: 'task_owners_pkey' })
  departmentId!: string;

  @Column({ type: 'text' })
  role!: 'lead' | 'co';

  /** Order as given; the first lead is the primary lead (主要牵头单位). */
  @Column({ type: 'smallint' })
  position!: number;

  // Copies of the task's columns that a department's task list filters and sorts on, so that the
  // list and its total come from task_owners alone. Filled and kept by triggers, never written.
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'workflow_key', type: 'text' })
  workflowKey!: string;

  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'text', nullable: true })
  card!: 'yellow' | 'red' | null;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'paused_since', type: 'timestamptz', nullable: true })
  pausedSince!: Date | null;

  @ManyToOne(() => TaskEntity, (task) => task.owners, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'task_owners_task_id_fkey' })
  task?: Relation<TaskEntity>;

  @ManyToOne(() => DepartmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'task_owners_department_id_fkey' })
  department?: Relation<DepartmentEntity>;
}

/**
 * A co-handling unit's opinion (会办意见) on a task, one per co-unit: its latest, the earlier ones
 * stay in the audit trail. A row is the fact that the co-unit has answered: the co-opinion
 * reminders go only to co-units without one, the late notice names them, and once every co-unit
 * has one no such timer is planned again. Written by TaskStore with the transition that gives it.
 */
@Entity({ name: 'task_co_opinions' })
export class TaskCoOpinionEntity {
  @PrimaryColumn({ name: 'task_id', type: 'uuid', primaryKeyConstraintName: 'task_co_opinions_pkey' })
  taskId!: string;

  @PrimaryColumn({ name: 'department_id', type: 'uuid', primaryKeyConstraintName: 'task_co_opinions_pkey' })
  departmentId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  comment!: string;

  /** Files of the task the opinion came with (a signed opinion letter). */
  @Column({ name: 'attachment_ids', type: 'uuid', array: true, default: () => "'{}'" })
  attachmentIds!: string[];

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @ManyToOne(() => TaskEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'task_co_opinions_task_id_fkey' })
  task?: Relation<TaskEntity>;

  @ManyToOne(() => DepartmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'task_co_opinions_department_id_fkey' })
  department?: Relation<DepartmentEntity>;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'task_co_opinions_actor_id_fkey' })
  actor?: Relation<UserEntity>;
}

export type TimerStatus = 'pending' | 'enqueued' | 'fired' | 'cancelled';

/** The truth about every reminder, deadline, escalation and SLA; Redis holds only the near ones. */
@Entity({ name: 'timers' })
@Unique('timers_task_id_key_key', ['taskId', 'key'])
@Check('timers_status_check', `"status" IN ('pending', 'enqueued', 'fired', 'cancelled')`)
@Index('timers_due_at_live_idx', ['dueAt'], { where: `"status" IN ('pending', 'enqueued')` })
export class TimerEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'timers_pkey' })
  id!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'text', default: 'pending' })
  status!: TimerStatus;

  @Column({ type: 'text', array: true })
  notify!: string[];

  @Column({ type: 'integer', nullable: true })
  level!: number | null;

  @Column({ type: 'text', nullable: true })
  card!: TaskCard | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt!: Date | null;

  /** The queue job the timer was enqueued in (libs/timers timerJobId); null when enqueued alone before jobs held groups (`tm-<own id>`). */
  @Column({ name: 'job_id', type: 'text', nullable: true })
  jobId!: string | null;

  @ManyToOne(() => TaskEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'timers_task_id_fkey' })
  task?: Relation<TaskEntity>;
}

/** Events written in the same transaction as the change; a relay publishes them after commit. */
@Entity({ name: 'outbox' })
@Index('outbox_undispatched_idx', ['id'], { where: '"dispatched_at" IS NULL' })
@Index('outbox_undone_idx', ['id'], { where: '"done_at" IS NULL' })
export class OutboxEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'outbox_pkey' })
  id!: string;

  @Column({ type: 'text' })
  event!: string;

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId!: string | null;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When the relay handed it to BullMQ (or found nothing to do). */
  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;

  /** When its effects (notice, webhook deliveries) were written: until then a sweep re-queues it. */
  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt!: Date | null;
}

/** A retried POST with the same Idempotency-Key gets the first response back (kept 24 h). */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  userId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  key!: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ name: 'status_code', type: 'integer' })
  statusCode!: number;

  @Column({ type: 'jsonb' })
  response!: unknown;

  @Index('idempotency_keys_created_at_idx')
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type TaskEventKind = 'yellow_card' | 'red_card' | 'extension' | 'return' | 'urge';

/** Dated happenings the reports count by period: cards, extensions, returns (退单), urges (催办). */
@Entity({ name: 'task_events' })
@Check('task_events_kind_check', `"kind" IN ('yellow_card', 'red_card', 'extension', 'return', 'urge')`)
@Index('task_events_at_idx', { synchronize: false })
@Index('task_events_task_id_idx', ['taskId'])
export class TaskEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'task_events_pkey' })
  id!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  /** The task's primary lead department when it happened. */
  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId!: string | null;

  @Column({ type: 'text' })
  kind!: TaskEventKind;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** When an admin withdrew this card as given by mistake (撤销亮牌); the reports skip it from then on. */
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @ManyToOne(() => TaskEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'task_events_task_id_fkey' })
  task?: Relation<TaskEntity>;
}

/** A published ranking bulletin (通报) of one period. */
@Entity({ name: 'bulletins' })
@Unique('bulletins_period_from_period_to_key', ['periodFrom', 'periodTo'])
export class BulletinEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'bulletins_pkey' })
  id!: string;

  @Column({ name: 'period_from', type: 'timestamptz' })
  periodFrom!: Date;

  @Column({ name: 'period_to', type: 'timestamptz' })
  periodTo!: Date;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'jsonb' })
  content!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
