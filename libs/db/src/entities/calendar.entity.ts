import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn, type Relation, UpdateDateColumn } from 'typeorm';

export interface WorkingPeriodColumn {
  start: string;
  end: string;
}

@Entity({ name: 'calendars' })
export class CalendarEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'calendars_pkey' })
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  timezone!: string;

  @Column({ name: 'working_hours', type: 'jsonb' })
  workingHours!: WorkingPeriodColumn[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Bumped by every change to the calendar or its days, so processes know their copy is stale. */
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 6 })
  updatedAt!: Date;

  @OneToMany(() => CalendarDayEntity, (day) => day.calendar)
  days?: Relation<CalendarDayEntity[]>;
}

@Entity({ name: 'calendar_days' })
@Check('calendar_days_kind_check', `"kind" IN ('holiday', 'workday')`)
export class CalendarDayEntity {
  @PrimaryColumn({ name: 'calendar_key', type: 'text', primaryKeyConstraintName: 'calendar_days_pkey' })
  calendarKey!: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'calendar_days_pkey' })
  date!: string;

  @Column({ type: 'text' })
  kind!: 'holiday' | 'workday';

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @ManyToOne(() => CalendarEntity, (calendar) => calendar.days, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'calendar_key', foreignKeyConstraintName: 'calendar_days_calendar_key_fkey' })
  calendar?: Relation<CalendarEntity>;
}
