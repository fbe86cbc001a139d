import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TaskEntity } from './task.entity.js';

/**
 * One link of a task's hash chain. Append-only: triggers refuse UPDATE, DELETE and TRUNCATE.
 * hash = sha256(prev_hash ‖ canonical JSON of the entry).
 */
@Entity({ name: 'audit_entries' })
@Index('audit_entries_at_idx', ['at'])
export class AuditEntryEntity {
  @PrimaryColumn({ name: 'task_id', type: 'uuid', primaryKeyConstraintName: 'audit_entries_pkey' })
  taskId!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'audit_entries_pkey' })
  seq!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** Null for the system (timers, imports). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'from_state', type: 'text', nullable: true })
  fromState!: string | null;

  @Column({ name: 'to_state', type: 'text', nullable: true })
  toState!: string | null;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;

  @ManyToOne(() => TaskEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'audit_entries_task_id_fkey' })
  task?: Relation<TaskEntity>;
}

/** A periodic hash over every chain head, so that a chain removed whole is detected too. */
@Entity({ name: 'audit_anchors' })
export class AuditAnchorEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'audit_anchors_pkey' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  /** Entries up to this instant are covered; later ones belong to the next anchor. */
  @Column({ type: 'timestamptz' })
  cutoff!: Date;

  @Column({ type: 'integer' })
  tasks!: number;

  @Column({ type: 'bigint' })
  entries!: string;

  @Column({ name: 'heads_hash', type: 'text' })
  headsHash!: string;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;
}
