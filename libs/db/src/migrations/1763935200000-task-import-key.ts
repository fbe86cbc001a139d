import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A history record imported without an externalRef is known again by its content: `import_key`
 * is the sha256 of the record's canonical JSON, unique, so that a retried import file creates
 * nothing twice. Tasks created otherwise (and records with an externalRef) leave it null.
 */
export class TaskImportKey1763935200000 implements MigrationInterface {
  name = 'TaskImportKey1763935200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tasks" ADD "import_key" text`);
    await q.query(`CREATE UNIQUE INDEX "tasks_import_key_key" ON "tasks" ("import_key")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "tasks_import_key_key"`);
    await q.query(`ALTER TABLE "tasks" DROP COLUMN "import_key"`);
  }
}
