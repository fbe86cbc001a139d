import type { CoalescerOptions, QueueDefinition } from '@duban/queues';

export interface TimerJobs {
  /** Fire one timer; the job id is `tm-<timer id>`, so a timer is in the queue at most once. */
  fire: { timerId: string };
}

export const timerJobId = (timerId: string) => `tm-${timerId}`;

export const TIMERS_QUEUE: QueueDefinition<TimerJobs> = {
  name: 'timers',
  jobNames: ['fire'],
  defaultJobOptions: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: { count: 10_000 },
  },
  jobIds: { fire: ({ timerId }) => timerJobId(timerId) },
  // Enough active jobs to fill two firing batches; a due timer waits for a slot, not for a clock.
  concurrency: 256,
};

/** How a worker groups the timers of its active jobs into firing transactions. */
export const FIRING_BATCH: CoalescerOptions = { maxBatch: 128, maxInFlight: 2 };
