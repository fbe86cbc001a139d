import type { QueueDefinition } from '@duban/queues';

export interface MailJobs {
  /** E-mail one notice; job id `ml-<notification id>`. */
  send: { notificationId: string };
}

export const mailJobId = (notificationId: string) => `ml-${notificationId}`;

export const MAIL_QUEUE: QueueDefinition<MailJobs> = {
  name: 'mail',
  jobNames: ['send'],
  defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: true, removeOnFail: { count: 10_000 } },
  jobIds: { send: ({ notificationId }) => mailJobId(notificationId) },
  concurrency: 4,
};
