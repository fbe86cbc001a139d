import { exponentialRetries, type QueueDefinition, SCHEDULED_RETENTION } from '@duban/queues';

export interface AuditJobs {
  /** Record the hash over every chain head (no payload: it covers whatever is settled). */
  anchor: Record<string, never>;
}

export const AUDIT_QUEUE: QueueDefinition<AuditJobs> = {
  name: 'audit',
  jobNames: ['anchor'],
  defaultJobOptions: { ...exponentialRetries(5, 60_000), ...SCHEDULED_RETENTION },
  concurrency: 1,
};

/** The job scheduler's id: one schedule for the whole cluster, however many workers upsert it. */
export const AUDIT_ANCHOR_SCHEDULE = 'audit-anchor';
