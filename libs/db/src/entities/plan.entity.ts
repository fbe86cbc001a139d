import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { UserEntity } from './user.entity.js';

/** A work plan (工作要点, 实施方案) imported from its text; its items are tasks with plan_id. */
@Entity({ name: 'plans' })
@Unique('plans_title_year_key', ['title', 'year'])
export class PlanEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'plans_pkey' })
  id!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'integer' })
  year!: number;

  @Column({ name: 'workflow_key', type: 'text' })
  workflowKey!: string;

  /** The text as pasted, so that what was imported can always be read again. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'plans_created_by_fkey' })
  creator?: Relation<UserEntity>;
}
