import { exponentialRetries, type QueueDefinition, SCHEDULED_RETENTION } from '@duban/queues';

export interface ReportJobs {
  /** Publish the previous month's bulletin (通报) and tell the supervisors; no payload: the month is the one before the run. */
  'monthly-bulletin': Record<string, never>;
}

export const REPORTS_QUEUE: QueueDefinition<ReportJobs> = {
  name: 'reports',
  jobNames: ['monthly-bulletin'],
  defaultJobOptions: { ...exponentialRetries(5, 60_000), ...SCHEDULED_RETENTION },
  concurrency: 1,
};

/** One schedule for the cluster: midnight on the 1st of each month, Beijing time. */
export const MONTHLY_BULLETIN_SCHEDULE = { id: 'monthly-bulletin', job: 'monthly-bulletin' as const, pattern: '0 0 1 * *', tz: 'Asia/Shanghai' };
