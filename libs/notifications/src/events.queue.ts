import type { QueueDefinition } from '@duban/queues';

export interface EventJobs {
  /** Fan one outbox event out to webhooks and notices; job id `ob-<outbox id>`. */
  dispatch: { outboxId: string };
}

export const outboxJobId = (outboxId: string) => `ob-${outboxId}`;

export const EVENTS_QUEUE: QueueDefinition<EventJobs> = {
  name: 'events',
  jobNames: ['dispatch'],
  defaultJobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: { count: 10_000 } },
  // A row published twice (the relay died between enqueueing and marking it) is one job.
  jobIds: { dispatch: ({ outboxId }) => outboxJobId(outboxId) },
  concurrency: 8,
};

/** Events of API.md; a subscription may also say "*". */
export const EVENTS = [
  'task.created',
  'task.assigned',
  'task.transitioned',
  'task.reminder',
  'task.overdue',
  'task.escalated',
  'task.sla_breached',
  'task.closed',
  'task.progress_requested',
] as const;
