import { type CoalescerOptions, exponentialRetries, PER_ROW_RETENTION, type QueueDefinition } from '@duban/queues';

export interface TimerJobs {
  /**
   * Fire a group of timers due close together (firingGroups), in due order; the job id is
   * `tm-<first timer id>`. A job of one timer is what every job was before grouping.
   */
  fire: { timerIds: string[] };
}

const JOB_PREFIX = 'tm-';

/** The id of the job firing this group: named by its first timer, so the pump's retry of the same group is one job. */
export const timerJobId = (timerIds: readonly string[]) => `${JOB_PREFIX}${timerIds[0]}`;

/** The first timer of the job of this id (timers.job_id), which names it. */
export const firstTimerOfJob = (jobId: string) => jobId.slice(JOB_PREFIX.length);

/**
 * The timers of a job: a job added before grouping carries one `timerId`, and may still wait in
 * a queue that outlived the upgrade (delayed for weeks in Redis); its timer still fires once.
 */
export function timerIdsOf(data: TimerJobs['fire'] | { timerId: string }): string[] {
  return 'timerIds' in data ? data.timerIds : [data.timerId];
}

export const TIMERS_QUEUE: QueueDefinition<TimerJobs> = {
  name: 'timers',
  jobNames: ['fire'],
  defaultJobOptions: { ...exponentialRetries(8, 1_000), ...PER_ROW_RETENTION },
  jobIds: { fire: ({ timerIds }) => timerJobId(timerIds) },
  // Jobs of a timer or two when timers come due spread out, of up to FIRING_GROUP.maxTimers in a
  // burst. 64 active jobs keep a worker's firing batches full either way: with 8, timers due one
  // by one fired at 8 per firing transaction's time (~20/s on a loaded machine); with 256, one
  // worker took a whole burst's jobs and the other idled.
  concurrency: 64,
};

/** How a worker groups the timers of its active jobs into firing transactions. */
export const FIRING_BATCH: CoalescerOptions = { maxBatch: 128, maxInFlight: 2 };
