import type { QueueDefinition } from '@duban/queues';

export interface TimerJobs {
  /** Fire one timer; the job id is `tm-<timer id>`, so a timer is in the queue at most once. */
  fire: { timerId: string };
}

export const TIMERS_QUEUE: QueueDefinition<TimerJobs> = {
  name: 'timers',
  jobNames: ['fire'],
  defaultJobOptions: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: { count: 10_000 },
  },
  concurrency: 8,
};

export const timerJobId = (timerId: string) => `tm-${timerId}`;
