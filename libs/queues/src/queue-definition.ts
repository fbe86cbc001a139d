import type { ConfigService } from '@nestjs/config';
import type { Job, JobsOptions } from 'bullmq';

/**
 * A queue is described in one file: its name, its job names with their payload types, its
 * retry policy and its job ids. Payloads carry ids, never whole objects, so a job never acts on
 * a stale copy.
 */
/** Job name → payload type; payloads are small objects of ids. */
export type JobPayloads<Payloads> = { [Name in keyof Payloads]: object };

/** The job names of a queue's payload map. */
export type JobName<Payloads> = keyof Payloads & string;

/**
 * Job name → the job id of a payload. A deterministic id makes the same work queued twice (a
 * relay or pump that crashed between enqueueing and marking) one job; a name without one
 * (a scheduled job) gets BullMQ's own id.
 */
export type JobIds<Payloads> = { readonly [Name in JobName<Payloads>]?: (data: Payloads[Name]) => string };

/** Options of every job of a queue, fixed or read from the validated environment. */
export type QueueJobOptions = JobsOptions | ((config: ConfigService) => JobsOptions);

export interface QueueDefinition<Payloads extends JobPayloads<Payloads> = Record<string, object>> {
  readonly name: string;
  readonly jobNames: readonly JobName<Payloads>[];
  /**
   * Every job's options, its retry policy (attempts, backoff) included: producers cannot pass
   * them, so this is the only place a queue's retries are decided.
   */
  readonly defaultJobOptions: QueueJobOptions;
  readonly jobIds?: JobIds<Payloads>;
  /** Jobs one worker process runs at once. */
  readonly concurrency: number;
}

/**
 * Attempts with exponential backoff: the first retry after `firstDelayMs`, each next one twice
 * as long. Each queue's definition file says its own numbers.
 */
export function exponentialRetries(attempts: number, firstDelayMs: number): Pick<JobsOptions, 'attempts' | 'backoff'> {
  return { attempts, backoff: { type: 'exponential', delay: firstDelayMs } };
}

/** Jobs of one row each (a timer, an outbox event, a delivery, a mail): done ones go at once, failed ones stay to be looked at. */
export const PER_ROW_RETENTION = { removeOnComplete: true, removeOnFail: { count: 10_000 } } as const satisfies JobsOptions;

/** Scheduled housekeeping (anchors, bulletins, purges): the last runs stay visible on the queue board. */
export const SCHEDULED_RETENTION = { removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } } as const satisfies JobsOptions;

/** A definition's job options in this environment. */
export function jobOptionsOf(definition: { readonly defaultJobOptions: QueueJobOptions }, config: ConfigService): JobsOptions {
  const options = definition.defaultJobOptions;
  return typeof options === 'function' ? options(config) : options;
}

/**
 * The delay BullMQ's backoff under these options puts before the run that follows a failed
 * `attempt`-th run (1 = the first), whether or not an attempt is left. Jitter is not modelled:
 * no Duban queue uses it.
 */
export function backoffDelayMs(options: JobsOptions, attempt: number): number {
  const backoff = typeof options.backoff === 'number' ? { type: 'fixed', delay: options.backoff } : options.backoff;
  const delay = backoff?.delay ?? 0;
  switch (backoff?.type) {
    case undefined:
      return 0;
    case 'fixed':
      return delay;
    case 'exponential':
      return Math.round(2 ** (attempt - 1) * delay);
    default:
      throw new Error(`backoff "${backoff?.type}" is not a built-in strategy`);
  }
}

export type JobHandlers<Payloads extends JobPayloads<Payloads>> = {
  readonly [Name in keyof Payloads & string]: (job: Job<Payloads[Name], unknown, Name>) => Promise<unknown>;
};

/** A provider that consumes one queue; the compiler insists on a handler for every job name. */
// The default is `any` so that a list of processors of different queues type-checks as one array.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export abstract class QueueProcessor<Payloads extends JobPayloads<Payloads> = any> {
  abstract readonly queue: QueueDefinition<Payloads>;
  abstract readonly handlers: JobHandlers<Payloads>;
  /** Repeating jobs, kept as BullMQ job schedulers: one schedule for the cluster, whatever the worker count. */
  readonly schedules?: readonly JobSchedule<Payloads>[];
}

export type JobSchedule<Payloads extends JobPayloads<Payloads>> = {
  id: string;
  job: keyof Payloads & string;
} & (
  | { everyMs: number }
  /** A cron pattern in a time zone: "0 0 1 * *" in Asia/Shanghai is midnight on the 1st there. */
  | { pattern: string; tz: string }
);

export class MissingJobHandlerError extends Error {
  constructor(queue: string, jobs: string[]) {
    super(`Queue "${queue}" has no handler for job(s): ${jobs.join(', ')}`);
    this.name = 'MissingJobHandlerError';
  }
}

/** Checked at start-up: a job name without a handler must stop the worker, not fail jobs later. */
export function assertHandlersComplete(processor: QueueProcessor): void {
  const missing = processor.queue.jobNames.filter((name) => typeof processor.handlers[name] !== 'function');
  if (missing.length > 0) throw new MissingJobHandlerError(processor.queue.name, missing);
}
