import type { QueueDefinition } from '@duban/queues';

export interface AuditJobs {
  /** Record the hash over every chain head (no payload: it covers whatever is settled). */
  anchor: Record<string, never>;
}

export const AUDIT_QUEUE: QueueDefinition<AuditJobs> = {
  name: 'audit',
  jobNames: ['anchor'],
  defaultJobOptions: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 60_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 1000 },
  },
  concurrency: 1,
};

/** The job scheduler's id: one schedule for the whole cluster, however many workers upsert it. */
export const AUDIT_ANCHOR_SCHEDULE = 'audit-anchor';
