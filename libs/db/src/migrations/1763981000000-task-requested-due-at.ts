import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The date an extension request asks for (issue 16 point 4): kept on the task for the approver
 * to see and to grant, apart from the due date in force, which the request does not move.
 */
export class TaskRequestedDueAt1763981000000 implements MigrationInterface {
  name = 'TaskRequestedDueAt1763981000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" ADD "requested_due_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "requested_due_at"`);
  }
}
