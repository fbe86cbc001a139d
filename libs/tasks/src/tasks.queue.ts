import { exponentialRetries, type QueueDefinition, SCHEDULED_RETENTION } from '@duban/queues';

export interface TaskMaintenanceJobs {
  /** Drop Idempotency-Key records past their 24 hours. */
  'purge-idempotency-keys': Record<string, never>;
}

export const TASK_MAINTENANCE_QUEUE: QueueDefinition<TaskMaintenanceJobs> = {
  name: 'task-maintenance',
  jobNames: ['purge-idempotency-keys'],
  defaultJobOptions: { ...exponentialRetries(3, 60_000), ...SCHEDULED_RETENTION },
  concurrency: 1,
};

export const PURGE_IDEMPOTENCY_KEYS_SCHEDULE = 'purge-idempotency-keys';
/** How long a retried POST /tasks gets its first answer back. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;
