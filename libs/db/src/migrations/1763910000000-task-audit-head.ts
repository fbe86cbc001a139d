import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The head of each task's audit chain, kept on the task row. A command locks the row before
 * appending; read from audit_entries instead, the head came from the snapshot taken before the
 * lock was granted, and two commands on one task could both claim the same seq.
 */
export class TaskAuditHead1763910000000 implements MigrationInterface {
  name = 'TaskAuditHead1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" ADD "audit_seq" integer NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE "tasks" ADD "audit_hash" text`);
    await q.query(`
      UPDATE tasks t SET audit_seq = h.seq, audit_hash = h.hash
        FROM (SELECT DISTINCT ON (task_id) task_id, seq, hash FROM audit_entries ORDER BY task_id, seq DESC) h
       WHERE h.task_id = t.id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "audit_hash"`);
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "audit_seq"`);
  }
}
