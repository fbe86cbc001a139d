import { createHash } from 'node:crypto';
import { type CoalescerOptions, exponentialRetries, PER_ROW_RETENTION, type QueueDefinition } from '@duban/queues';

export interface TimerJobs {
  /**
   * Fire a group of timers due close together (firingGroups), in due order; its id is
   * timerJobId's. A job of one timer is what every job was before grouping.
   */
  fire: { timerIds: string[] };
}

/**
 * The id of the job firing these timers: `tm-<timer id>` for one (as every job was before timers
 * were grouped), `tm-<first id>+<others>.<digest of all ids>` for a group. Deterministic, so the
 * pump's retry of the same group is one job; any other group gets another id, so a group formed
 * again differently (after a pump pass that rolled back) is never taken for the job already
 * queued under the old id, which BullMQ would keep instead of it.
 */
export function timerJobId(timerIds: readonly string[]): string {
  if (timerIds.length === 1) return `tm-${timerIds[0]}`;
  const digest = createHash('sha256').update(timerIds.join(',')).digest('hex').slice(0, 16);
  return `tm-${timerIds[0]}+${timerIds.length - 1}.${digest}`;
}

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

/**
 * How a worker groups the timers of its active jobs into firing transactions. A transaction's
 * statements are the same in number however many timers it fires, so larger batches fire more a
 * second: `npm run bench:timers` here, 10,000 timers due at once, went from 1,594 to 1,868/s on
 * PostgreSQL queues and from 1,843 to 2,003/s on Redis with 256 instead of 128.
 */
export const FIRING_BATCH: CoalescerOptions = { maxBatch: 256, maxInFlight: 2 };
