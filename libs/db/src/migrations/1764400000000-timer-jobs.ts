import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue job a timer was enqueued in (libs/timers timerJobId): the pump enqueues timers due
 * close together as one job, and its lost-job check asks the queue about that job. Null on
 * timers enqueued one per job before, whose job is `tm-<own id>`.
 */
export class TimerJobs1764400000000 implements MigrationInterface {
  name = 'TimerJobs1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "timers" ADD "job_id" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "timers" DROP COLUMN "job_id"`);
  }
}
