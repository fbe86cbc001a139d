import type { QueueDefinition } from '@duban/queues';

export interface TaskMaintenanceJobs {
  /** Drop Idempotency-Key records past their 24 hours. */
  'purge-idempotency-keys': Record<string, never>;
}

export const TASK_MAINTENANCE_QUEUE: QueueDefinition<TaskMaintenanceJobs> = {
  name: 'task-maintenance',
  jobNames: ['purge-idempotency-keys'],
  defaultJobOptions: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 60_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 1000 },
  },
  concurrency: 1,
};

export const PURGE_IDEMPOTENCY_KEYS_SCHEDULE = 'purge-idempotency-keys';
/** How long a retried POST /tasks gets its first answer back. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;
