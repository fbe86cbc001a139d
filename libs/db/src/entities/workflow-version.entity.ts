import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { UserEntity } from './user.entity.js';

/** A published workflow definition; rows are never updated, a change is a new version. */
@Entity({ name: 'workflow_versions' })
export class WorkflowVersionEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'workflow_versions_pkey' })
  key!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'workflow_versions_pkey' })
  version!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  definition!: Record<string, unknown>;

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt!: Date;

  /** False for versions published before transitions declared their KPI role: read by action name. */
  @Column({ name: 'kpi_declared', type: 'boolean', default: true })
  kpiDeclared!: boolean;

  @Column({ name: 'published_by', type: 'uuid', nullable: true })
  publishedBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'published_by', foreignKeyConstraintName: 'workflow_versions_published_by_fkey' })
  publisher?: Relation<UserEntity>;
}
