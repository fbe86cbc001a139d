import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transitions now declare what they count as in the reports (`kpi`: acceptance, return,
 * extension). Versions published before that were counted by their action names; they are marked
 * so that the runtime keeps reading them that way. Published rows are immutable (a trigger
 * refuses UPDATE), so the mark is the column's value at its creation: false for every row already
 * there, true for every version published from now on.
 */
export class WorkflowKpiRoles1763924400000 implements MigrationInterface {
  name = 'WorkflowKpiRoles1763924400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "workflow_versions" ADD "kpi_declared" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "workflow_versions" ALTER COLUMN "kpi_declared" SET DEFAULT true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "workflow_versions" DROP COLUMN "kpi_declared"`);
  }
}
