import { exponentialRetries, PER_ROW_RETENTION, type QueueDefinition } from '@duban/queues';

export interface TimerReplanJobs {
  /**
   * Re-plan the live timers of the tasks counted on a calendar after a change to its days
   * (a timer_replans row); the job id is `rp-<request id>`: one job per change.
   */
  replan: { requestId: string };
}

export const TIMER_REPLANS_QUEUE: QueueDefinition<TimerReplanJobs> = {
  name: 'timer-replans',
  jobNames: ['replan'],
  defaultJobOptions: { ...exponentialRetries(5, 5_000), ...PER_ROW_RETENTION },
  jobIds: { replan: ({ requestId }) => `rp-${requestId}` },
  // Batches lock tasks: one re-plan at a time per worker leaves the locks to the transitions.
  concurrency: 1,
};

/** Tasks one re-plan transaction locks and writes: a bounded transaction however many tasks a calendar has. */
export const REPLAN_BATCH = 200;
