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

  /**
   * The year whose schedule set this day: loading that year's schedule again replaces it, and no
   * other year's does. Usually the date's own year; 元旦 days and their make-up workday in late
   * December belong to the next year's schedule (holiday-cn's 2019 file lists 2018-12-29…31).
   */
  @Column({ name: 'governing_year', type: 'integer' })
  governingYear!: number;

  @ManyToOne(() => CalendarEntity, (calendar) => calendar.days, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'calendar_key', foreignKeyConstraintName: 'calendar_days_calendar_key_fkey' })
  calendar?: Relation<CalendarEntity>;
}

/** A year whose schedule (days off and make-up workdays) a calendar has: arithmetic in other years knows only the weekends. */
@Entity({ name: 'calendar_years' })
export class CalendarYearEntity {
  @PrimaryColumn({ name: 'calendar_key', type: 'text', primaryKeyConstraintName: 'calendar_years_pkey' })
  calendarKey!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'calendar_years_pkey' })
  year!: number;

  /** What the schedule was loaded from: list, holiday-cn, ics, chinese-days (the demo seed), or earlier (days present before years were recorded). */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'loaded_at', type: 'timestamptz', default: () => 'now()' })
  loadedAt!: Date;

  @ManyToOne(() => CalendarEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'calendar_key', foreignKeyConstraintName: 'calendar_years_calendar_key_fkey' })
  calendar?: Relation<CalendarEntity>;
}
