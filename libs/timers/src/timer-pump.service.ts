import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectProducer, type Producer, Rounds } from '@duban/queues';
import { DataSource, type EntityManager } from 'typeorm';
import { type TimerReplanJobs, TIMER_REPLANS_QUEUE } from './timer-replans.queue.js';
import { firingGroups } from './firing-groups.js';
import { type TimerJobs, timerJobId, TIMERS_QUEUE } from './timers.queue.js';

/** Only one pump in the cluster works at a time; the others skip the tick. Any fixed number. */
const PUMP_LOCK = 4_242_002;
/** An enqueued timer this far past due whose job is gone was lost by the queue (Redis without persistence, say). */
const LOST_AFTER_MS = 2_000;
const BATCH = 1_000;

/**
 * Moves timers due within TIMER_HORIZON_MS from PostgreSQL into BullMQ delayed jobs, so the queue
 * holds only the near future however many tasks wait months; timers due close together share a
 * job (firingGroups), so a burst costs the queue a job per 64 timers, not one each. Puts back the
 * jobs of unfired timers that the queue lost or that failed for good. Hands requests to re-plan
 * (a calendar changed) to the timer-replans queue, and puts back their jobs likewise until they are done.
 * A PostgreSQL advisory lock makes it a cluster singleton.
 */
@Injectable()
export class TimerPumpService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TimerPumpService.name);
  private readonly rounds = new Rounds('timer pump', this.logger, () => this.tick());

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectProducer(TIMERS_QUEUE) private readonly queue: Producer<TimerJobs>,
    @InjectProducer(TIMER_REPLANS_QUEUE) private readonly replans: Producer<TimerReplanJobs>,
    @Inject(ConfigService) private readonly config: ConfigService,
  ) {}

  onApplicationBootstrap(): void {
    this.rounds.start(this.config.getOrThrow<number>('TIMER_PUMP_INTERVAL_MS'));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.rounds.stop();
  }

  /**
   * One pass; returns how many timers it enqueued and re-enqueued. What is due, and each job's
   * delay, are read off the database's clock: a worker host whose clock runs ahead neither
   * takes timers early nor delays their jobs too little (TimerFiringService checks again).
   */
  async tick(): Promise<{ enqueued: number; recovered: number; replans: number }> {
    const horizon = this.config.getOrThrow<number>('TIMER_HORIZON_MS');
    return this.db.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [PUMP_LOCK]);
      if (!locked) return { enqueued: 0, recovered: 0, replans: 0 };
      // Due order: timers that came due while every worker was down fire oldest first.
      const due = await tx.query<{ id: string; delay_ms: number }[]>(
        `SELECT id, greatest(0, extract(epoch FROM due_at - duban_now()) * 1000)::float8 AS delay_ms FROM timers
          WHERE status = 'pending' AND due_at <= duban_now() + make_interval(secs => $1 / 1000.0) ORDER BY due_at LIMIT $2`,
        [horizon, BATCH],
      );
      const groups = firingGroups(due.map((t) => ({ id: t.id, delayMs: t.delay_ms })));
      if (groups.length > 0) {
        await this.queue.addBulk(groups.map((g) => ({ name: 'fire', data: { timerIds: g.timerIds }, opts: { delay: Math.ceil(g.delayMs) } })));
        const jobs = groups.flatMap((g) => g.timerIds.map((id) => ({ id, job: timerJobId(g.timerIds) })));
        await tx.query(
          `UPDATE timers tm SET status = 'enqueued', job_id = j.job FROM unnest($1::uuid[], $2::text[]) AS j(id, job)
            WHERE tm.id = j.id AND tm.status = 'pending'`,
          [jobs.map((j) => j.id), jobs.map((j) => j.job)],
        );
      }
      const overdue = await tx.query<{ id: string; job_id: string | null }[]>(
        `SELECT id, job_id FROM timers WHERE status = 'enqueued' AND due_at < duban_now() - make_interval(secs => $1 / 1000.0) ORDER BY due_at LIMIT $2`,
        [LOST_AFTER_MS, BATCH],
      );
      const recovered = await this.recover(tx, overdue);
      if (recovered > 0) this.logger.warn(`timer pump: put back ${recovered} timer job(s) that the queue lost or that failed for good`);
      return { enqueued: due.length, recovered, replans: await this.handOverReplans(tx) };
    });
  }

  /**
   * Enqueues the open re-plan requests not enqueued yet, and makes sure those enqueued earlier
   * still have a job (Producer.restore), since a request is open until its job has done it.
   * Returns how many it enqueued.
   */
  private async handOverReplans(tx: EntityManager): Promise<number> {
    const open = await tx.query<{ id: string; enqueued: boolean }[]>(
      `SELECT id::text AS id, enqueued_at IS NOT NULL AS enqueued FROM timer_replans WHERE done_at IS NULL ORDER BY id LIMIT $1`,
      [BATCH],
    );
    const fresh = open.filter((r) => !r.enqueued).map((r) => ({ name: 'replan' as const, data: { requestId: r.id } }));
    if (fresh.length > 0) {
      await this.replans.addBulk(fresh);
      await tx.query(`UPDATE timer_replans SET enqueued_at = duban_now() WHERE id = ANY($1::bigint[])`, [fresh.map((j) => j.data.requestId)]);
    }
    const { lost, failed } = await this.replans.restore(open.filter((r) => r.enqueued).map((r) => ({ name: 'replan' as const, data: { requestId: r.id } })));
    if (lost + failed > 0) this.logger.warn(`timer pump: put back ${lost + failed} re-plan job(s) that the queue lost or that failed for good`);
    return fresh.length;
  }

  /**
   * Puts back the jobs of enqueued past-due timers that the queue lost or that failed for good
   * (Producer.restore), so an unfired timer fires however long PostgreSQL was down. Only past-due
   * enqueued timers are probed (an indexed, bounded query), so idle cost does not grow with the
   * pending timers. Each job is asked about by the id it was enqueued under (timers.job_id, or
   * `tm-<own id>` for a timer enqueued alone before jobs held groups); what is left of a lost or
   * failed one is added as a job of its own id, recorded on its timers. Returns the jobs put back.
   */
  private async recover(tx: EntityManager, overdue: readonly { id: string; job_id: string | null }[]): Promise<number> {
    const jobs = new Map<string, { name: 'fire'; data: { timerIds: string[] } }>();
    for (const { id, job_id } of overdue) {
      const held = job_id ?? timerJobId([id]);
      const job = jobs.get(held);
      if (job) job.data.timerIds.push(id);
      else jobs.set(held, { name: 'fire', data: { timerIds: [id] } });
    }
    const heldAs = new Map([...jobs].map(([held, job]) => [job, held]));
    const { lost, failed, added } = await this.queue.restore([...jobs.values()], (job) => heldAs.get(job as { name: 'fire'; data: { timerIds: string[] } }));
    const ids = added.flatMap((job) => job.data.timerIds.map((id) => ({ id, job: timerJobId(job.data.timerIds) })));
    if (ids.length > 0)
      await tx.query(`UPDATE timers tm SET job_id = j.job FROM unnest($1::uuid[], $2::text[]) AS j(id, job) WHERE tm.id = j.id`, [
        ids.map((j) => j.id),
        ids.map((j) => j.job),
      ]);
    return lost + failed;
  }
}
