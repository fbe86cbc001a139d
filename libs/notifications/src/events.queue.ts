import type { QueueDefinition } from '@duban/queues';

export interface EventJobs {
  /** Fan one outbox event out to webhooks and notices; job id `ob-<outbox id>`. */
  dispatch: { outboxId: string };
}

export const EVENTS_QUEUE: QueueDefinition<EventJobs> = {
  name: 'events',
  jobNames: ['dispatch'],
  defaultJobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: { count: 10_000 } },
  concurrency: 8,
};

export interface WebhookJobs {
  /** POST one delivery to its subscriber; job id `wd-<delivery id>`, retried with backoff until a 2xx. */
  deliver: { deliveryId: string };
}

export const WEBHOOKS_QUEUE: QueueDefinition<WebhookJobs> = {
  name: 'webhooks',
  jobNames: ['deliver'],
  // Attempts and the first retry delay (WEBHOOK_BACKOFF_MS, doubling) are set when a delivery is queued.
  defaultJobOptions: { attempts: 12, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true, removeOnFail: { count: 10_000 } },
  concurrency: 16,
};

export interface MailJobs {
  /** E-mail one notice; job id `ml-<notification id>`. */
  send: { notificationId: string };
}

export const MAIL_QUEUE: QueueDefinition<MailJobs> = {
  name: 'mail',
  jobNames: ['send'],
  defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: true, removeOnFail: { count: 10_000 } },
  concurrency: 4,
};

export const mailJobId = (notificationId: string) => `ml-${notificationId}`;
export const outboxJobId = (outboxId: string) => `ob-${outboxId}`;
export const deliveryJobId = (deliveryId: string) => `wd-${deliveryId}`;

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
