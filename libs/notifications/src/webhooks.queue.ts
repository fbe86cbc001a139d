import type { QueueDefinition } from '@duban/queues';

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

export const deliveryJobId = (deliveryId: string) => `wd-${deliveryId}`;
