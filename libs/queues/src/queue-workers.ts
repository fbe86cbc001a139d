import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError } from 'bullmq';
import { type AnyQueue, type AnyWorker, AppQueueStore } from './queue-backend.js';
import { assertHandlersComplete, jobOptionsOf, type QueueProcessor } from './queue-definition.js';

export const QUEUE_PROCESSORS = 'duban:queue-processors';

export type QueueState = 'waiting' | 'active' | 'delayed' | 'failed';
export const QUEUE_STATES: readonly QueueState[] = ['waiting', 'active', 'delayed', 'failed'];

/**
 * Runs one BullMQ worker per registered processor, on the app's QueueStore (Redis or
 * PostgreSQL). Lock duration and stalled-check interval
 * come from JOB_LOCK_MS; on shutdown the workers stop taking jobs and the active ones finish
 * before database pools close (this runs in beforeApplicationShutdown, ahead of them).
 * The processors' job schedulers are made at start and, every SCHEDULE_CHECK_MS, made again
 * when the queue no longer has them (Redis lost its data), so no anchor, bulletin or purge waits for a
 * worker restart.
 */
@Injectable()
export class QueueWorkers implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private readonly workers: AnyWorker[] = [];
  private readonly queues = new Map<string, AnyQueue>();
  private scheduleCheck?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(
    @Inject(QUEUE_PROCESSORS) private readonly processors: QueueProcessor[],
    @Inject(ConfigService) private readonly config: ConfigService,
    @Inject(AppQueueStore) private readonly store: AppQueueStore,
  ) {}

  onModuleInit(): void {
    const seen = new Set<string>();
    for (const processor of this.processors) {
      if (seen.has(processor.queue.name)) throw new Error(`Queue "${processor.queue.name}" has two processors`);
      seen.add(processor.queue.name);
      assertHandlersComplete(processor);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const lockMs = this.config.getOrThrow<number>('JOB_LOCK_MS');
    for (const processor of this.processors) {
      const { name, concurrency } = processor.queue;
      const handlers = processor.handlers as Record<string, (job: unknown) => Promise<unknown>>;
      const worker = this.store.worker(
        name,
        async (job) => {
          const handler = handlers[job.name];
          // A job name this build does not know (an older or newer producer) can never succeed here.
          if (!handler) throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${name}"`);
          return handler(job);
        },
        { concurrency, lockDuration: lockMs, stalledInterval: lockMs },
      );
      worker.on('failed', (job, err) =>
        this.logger.warn({ queue: name, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message, stack: err.stack }, 'job failed'),
      );
      worker.on('error', (err) => this.logger.error({ queue: name, err: err.message }, 'worker error'));
      this.workers.push(worker);
      const queue = this.store.queue(name, jobOptionsOf(processor.queue, this.config));
      this.queues.set(name, queue);
    }
    await this.ensureSchedules(false);
    const every = this.config.get<number>('SCHEDULE_CHECK_MS') ?? 60_000;
    this.scheduleCheck = setInterval(() => {
      this.checking ??= this.ensureSchedules(true)
        .then(() => undefined)
        .catch((err: Error) => this.logger.warn(`job schedulers: ${err.message}`))
        .finally(() => (this.checking = undefined));
    }, every);
  }

  /**
   * Makes every processor's job schedulers: all of them (`onlyMissing` false, at start, so a
   * changed interval takes effect) or those the queue does not have. Returns the ids it made.
   */
  async ensureSchedules(onlyMissing: boolean): Promise<string[]> {
    const made: string[] = [];
    for (const processor of this.processors) {
      const queue = this.queues.get(processor.queue.name);
      if (!queue) continue;
      for (const schedule of processor.schedules ?? []) {
        if (onlyMissing && (await queue.getJobScheduler(schedule.id))) continue;
        const repeat = 'everyMs' in schedule ? { every: schedule.everyMs } : { pattern: schedule.pattern, tz: schedule.tz };
        await queue.upsertJobScheduler(schedule.id, repeat, { name: schedule.job, data: {} });
        made.push(schedule.id);
      }
    }
    if (onlyMissing && made.length > 0) this.logger.warn(`job schedulers missing from the queue were made again: ${made.join(', ')}`);
    return made;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.scheduleCheck);
    await this.checking;
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  /** Job counts per queue and state, for /metrics. */
  async counts(): Promise<{ queue: string; state: QueueState; count: number }[]> {
    const rows = await Promise.all(
      [...this.queues].map(async ([queue, q]) => {
        const counts = await q.getJobCounts(...QUEUE_STATES);
        return QUEUE_STATES.map((state) => ({ queue, state, count: counts[state] ?? 0 }));
      }),
    );
    return rows.flat();
  }
}
