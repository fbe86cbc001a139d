import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CalendarEntity } from './calendar.entity.js';

/**
 * A request to re-plan the live timers of the tasks counted on a calendar, written with the
 * calendar change that calls for it; the timer pump enqueues it, a `timer-replans` job works
 * through the tasks in batches and closes it.
 */
@Entity({ name: 'timer_replans' })
@Index('timer_replans_open_idx', ['id'], { where: '"done_at" IS NULL' })
export class TimerReplanEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'timer_replans_pkey' })
  id!: string;

  @Column({ name: 'calendar_key', type: 'text' })
  calendarKey!: string;

  @CreateDateColumn({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  /** When the pump handed it to the queue. */
  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt!: Date | null;

  /** The last task re-planned (tasks go in id order): where a retried job carries on. */
  @Column({ name: 'after_task_id', type: 'uuid', nullable: true })
  afterTaskId!: string | null;

  /** Tasks whose timers moved so far. */
  @Column({ type: 'integer', default: 0 })
  replanned!: number;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt!: Date | null;

  @ManyToOne(() => CalendarEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'calendar_key', foreignKeyConstraintName: 'timer_replans_calendar_key_fkey' })
  calendar?: Relation<CalendarEntity>;
}
