import { exponentialRetries, PER_ROW_RETENTION, type QueueDefinition } from '@duban/queues';

export interface WebhookJobs {
  /** POST one delivery to its subscriber; job id `wd-<delivery id>`, retried with backoff until a 2xx. */
  deliver: { deliveryId: string };
}

export const deliveryJobId = (deliveryId: string) => `wd-${deliveryId}`;

export const WEBHOOKS_QUEUE: QueueDefinition<WebhookJobs> = {
  name: 'webhooks',
  jobNames: ['deliver'],
  // 12 attempts; the first retry waits WEBHOOK_BACKOFF_MS and each next one twice as long.
  defaultJobOptions: (config) => ({ ...exponentialRetries(12, config.getOrThrow<number>('WEBHOOK_BACKOFF_MS')), ...PER_ROW_RETENTION }),
  jobIds: { deliver: ({ deliveryId }) => deliveryJobId(deliveryId) },
  concurrency: 16,
};
