import { exponentialRetries, type QueueDefinition, SCHEDULED_RETENTION } from '@duban/queues';

export interface CalendarYearJobs {
  /** Tell the admins which calendars lack the schedule of a year that is here or, from 1 November, coming; no payload: the years follow from the run's date. */
  'notice-awaited-years': Record<string, never>;
}

export const CALENDAR_YEARS_QUEUE: QueueDefinition<CalendarYearJobs> = {
  name: 'calendar-years',
  jobNames: ['notice-awaited-years'],
  defaultJobOptions: { ...exponentialRetries(5, 60_000), ...SCHEDULED_RETENTION },
  concurrency: 1,
};

/** One schedule for the cluster: every morning at 09:00 Beijing time, at the start of the office day. */
export const AWAITED_YEARS_SCHEDULE = { id: 'calendar-awaited-years', job: 'notice-awaited-years' as const, pattern: '0 9 * * *', tz: 'Asia/Shanghai' };
