import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { TaskEntity } from './task.entity.js';
import { UserEntity } from './user.entity.js';

/**
 * A file on a task (附件, 佐证材料): what it is, who added it and where its bytes are. The audit
 * entry that added it repeats its name, size and SHA-256, so the hash chain covers the evidence.
 */
@Entity({ name: 'attachments' })
@Unique('attachments_storage_key_key', ['storageKey'])
@Check('attachments_size_check', `"size" > 0`)
@Index('attachments_task_id_created_at_idx', ['taskId', 'createdAt', 'position'])
export class AttachmentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'attachments_pkey' })
  id!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  /** The name the uploader's file had, without any directory. */
  @Column({ type: 'text' })
  filename!: string;

  /** As read from the content, never from the name or the client's header. */
  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  /** Bytes. */
  @Column({ type: 'integer' })
  size!: number;

  /** Hex SHA-256 of the bytes as uploaded. */
  @Column({ type: 'text' })
  sha256!: string;

  /** The key of the bytes in the attachment store. */
  @Column({ name: 'storage_key', type: 'text' })
  storageKey!: string;

  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true })
  uploadedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The file's place in its upload (0, 1, …): files of one upload share created_at and list in the order sent. */
  @Column({ type: 'smallint', default: 0 })
  position!: number;

  @ManyToOne(() => TaskEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'attachments_task_id_fkey' })
  task?: Relation<TaskEntity>;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'uploaded_by', foreignKeyConstraintName: 'attachments_uploaded_by_fkey' })
  uploader?: Relation<UserEntity>;
}

/** The bytes of attachments, by key: the PostgreSQL attachment store (another store may keep them elsewhere). */
@Entity({ name: 'attachment_blobs' })
export class AttachmentBlobEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'attachment_blobs_pkey' })
  key!: string;

  @Column({ type: 'bytea' })
  content!: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
