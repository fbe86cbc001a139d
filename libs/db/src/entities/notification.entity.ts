import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { DepartmentEntity } from './department.entity.js';
import { TaskEntity } from './task.entity.js';
import { UserEntity } from './user.entity.js';

export const NOTIFICATION_KINDS = [
  'assigned',
  'reminder',
  'overdue',
  'escalated',
  'sla_breach',
  'progress_requested',
  'action',
  'bulletin',
  'calendar_year_missing',
  'callback',
  'co_opinion_due',
  'co_opinion_late',
  'urged',
  'carded',
  'withdrawn',
  'revised',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A user's inbox entry. One per user and timer firing: a retried firing cannot send it twice. */
@Entity({ name: 'notifications' })
@Check(
  'notifications_kind_check',
  `"kind" IN ('assigned', 'reminder', 'overdue', 'escalated', 'sla_breach', 'progress_requested', 'action', 'bulletin', 'calendar_year_missing', 'callback', ` +
    `'co_opinion_due', 'co_opinion_late', 'urged', 'carded', 'withdrawn', 'revised')`,
)
@Index('notifications_user_id_id_idx', ['userId', 'id'])
@Index('notifications_unread_idx', ['userId'], { where: '"read_at" IS NULL' })
@Index('notifications_mail_pending_idx', ['id'], { where: '"mail_pending"' })
@Unique('notifications_user_id_source_key', ['userId', 'source'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'notifications_pkey' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  kind!: NotificationKind;

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId!: string | null;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  /** What caused it (a timer id, an outbox id): the key that keeps it single. */
  @Column({ type: 'text' })
  source!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  /** Its e-mail copy is wanted (SMTP on, the user has an address) and not sent yet. */
  @Column({ name: 'mail_pending', type: 'boolean', default: false })
  mailPending!: boolean;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'notifications_user_id_fkey' })
  user?: Relation<UserEntity>;

  @ManyToOne(() => TaskEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'notifications_task_id_fkey' })
  task?: Relation<TaskEntity>;
}

@Entity({ name: 'webhooks' })
export class WebhookEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'webhooks_pkey' })
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  /** HMAC key of X-Duban-Signature; never shown again after creation. */
  @Column({ type: 'text' })
  secret!: string;

  @Column({ type: 'text', array: true })
  events!: string[];

  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => DepartmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'webhooks_department_id_fkey' })
  department?: Relation<DepartmentEntity>;
}

/** One event for one subscription; its id is X-Duban-Delivery, the same on every retry. */
@Entity({ name: 'webhook_deliveries' })
@Unique('webhook_deliveries_webhook_id_outbox_id_key', ['webhookId', 'outboxId'])
@Index('webhook_deliveries_webhook_id_created_at_idx', ['webhookId', 'createdAt'])
@Index('webhook_deliveries_under_way_idx', ['createdAt'], { where: '"delivered_at" IS NULL AND ("next_attempt_at" IS NOT NULL OR "attempts" = 0)' })
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  id!: string;

  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId!: string;

  @Column({ name: 'outbox_id', type: 'bigint' })
  outboxId!: string;

  @Column({ type: 'text' })
  event!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => WebhookEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'webhook_deliveries_webhook_id_fkey' })
  webhook?: Relation<WebhookEntity>;
}
