import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { assertHandlersComplete, jobOptionsOf, type QueueProcessor } from './queue-definition.js';

export const QUEUE_PROCESSORS = 'duban:queue-processors';

export type QueueState = 'waiting' | 'active' | 'delayed' | 'failed';
export const QUEUE_STATES: readonly QueueState[] = ['waiting', 'active', 'delayed', 'failed'];

/**
 * Runs one BullMQ worker per registered processor. Lock duration and stalled-check interval
 * come from JOB_LOCK_MS; on shutdown the workers stop taking jobs and the active ones finish
 * before database pools close (this runs in beforeApplicationShutdown, ahead of them).
 */
@Injectable()
export class QueueWorkers implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private readonly workers: Worker[] = [];
  private readonly queues = new Map<string, Queue>();

  constructor(
    @Inject(QUEUE_PROCESSORS) private readonly processors: QueueProcessor[],
    @Inject(ConfigService) private readonly config: ConfigService,
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
    const connection = { url: this.config.getOrThrow<string>('REDIS_URL'), maxRetriesPerRequest: null };
    const prefix = this.config.getOrThrow<string>('QUEUE_PREFIX');
    const lockMs = this.config.getOrThrow<number>('JOB_LOCK_MS');
    for (const processor of this.processors) {
      const { name, concurrency } = processor.queue;
      const handlers = processor.handlers as Record<string, (job: unknown) => Promise<unknown>>;
      const worker = new Worker(
        name,
        async (job) => {
          const handler = handlers[job.name];
          // A job name this build does not know (an older or newer producer) can never succeed here.
          if (!handler) throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${name}"`);
          return handler(job);
        },
        { connection, prefix, concurrency, lockDuration: lockMs, stalledInterval: lockMs },
      );
      worker.on('failed', (job, err) =>
        this.logger.warn({ queue: name, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message, stack: err.stack }, 'job failed'),
      );
      worker.on('error', (err) => this.logger.error({ queue: name, err: err.message }, 'worker error'));
      this.workers.push(worker);
      const queue = new Queue(name, { connection, prefix, defaultJobOptions: jobOptionsOf(processor.queue, this.config) });
      this.queues.set(name, queue);
      for (const schedule of processor.schedules ?? []) {
        const repeat = 'everyMs' in schedule ? { every: schedule.everyMs } : { pattern: schedule.pattern, tz: schedule.tz };
        await queue.upsertJobScheduler(schedule.id, repeat, { name: schedule.job, data: {} });
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
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
