import { type CoalescerOptions, exponentialRetries, PER_ROW_RETENTION, type QueueDefinition } from '@duban/queues';

export interface TimerJobs {
  /** Fire one timer; the job id is `tm-<timer id>`, so a timer is in the queue at most once. */
  fire: { timerId: string };
}

export const timerJobId = (timerId: string) => `tm-${timerId}`;

export const TIMERS_QUEUE: QueueDefinition<TimerJobs> = {
  name: 'timers',
  jobNames: ['fire'],
  defaultJobOptions: { ...exponentialRetries(8, 1_000), ...PER_ROW_RETENTION },
  jobIds: { fire: ({ timerId }) => timerJobId(timerId) },
  // Enough active jobs to fill two firing batches; a due timer waits for a slot, not for a clock.
  concurrency: 256,
};

/** How a worker groups the timers of its active jobs into firing transactions. */
export const FIRING_BATCH: CoalescerOptions = { maxBatch: 128, maxInFlight: 2 };
