import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';

export const DEPARTMENT_KINDS = ['bureau', 'county', 'town', 'office', 'other'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

@Entity({ name: 'departments' })
@Check('departments_kind_check', `"kind" IN ('bureau', 'county', 'town', 'office', 'other')`)
@Check('departments_not_own_parent', `"parent_id" IS DISTINCT FROM "id"`)
export class DepartmentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'departments_pkey' })
  id!: string;

  @Index('departments_code_key', { unique: true })
  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: DepartmentKind;

  @Index('departments_parent_id_idx')
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  /** Null: supervised by the nearest ancestor's supervising department. */
  @Column({ name: 'supervisor_department_id', type: 'uuid', nullable: true })
  supervisorDepartmentId!: string | null;

  /** Other names the department goes by in documents (发改局 for 市发展和改革局). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @ManyToOne(() => DepartmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'departments_parent_id_fkey' })
  parent?: Relation<DepartmentEntity>;

  @ManyToOne(() => DepartmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supervisor_department_id', foreignKeyConstraintName: 'departments_supervisor_department_id_fkey' })
  supervisorDepartment?: Relation<DepartmentEntity>;
}
