import { exponentialRetries, PER_ROW_RETENTION, type QueueDefinition } from '@duban/queues';

export interface EventJobs {
  /** Do what EVENT_EFFECTS declares for one outbox event; job id `ob-<outbox id>`. */
  dispatch: { outboxId: string };
}

export const outboxJobId = (outboxId: string) => `ob-${outboxId}`;

export const EVENTS_QUEUE: QueueDefinition<EventJobs> = {
  name: 'events',
  jobNames: ['dispatch'],
  defaultJobOptions: { ...exponentialRetries(10, 1_000), ...PER_ROW_RETENTION },
  // A row published twice (the relay died between enqueueing and marking it) is one job.
  jobIds: { dispatch: ({ outboxId }) => outboxJobId(outboxId) },
  concurrency: 8,
};
