import { exponentialRetries, PER_ROW_RETENTION, type QueueDefinition } from '@duban/queues';

export interface MailJobs {
  /** E-mail one notice; job id `ml-<notification id>`. */
  send: { notificationId: string };
}

export const mailJobId = (notificationId: string) => `ml-${notificationId}`;

export const MAIL_QUEUE: QueueDefinition<MailJobs> = {
  name: 'mail',
  jobNames: ['send'],
  defaultJobOptions: { ...exponentialRetries(8, 10_000), ...PER_ROW_RETENTION },
  jobIds: { send: ({ notificationId }) => mailJobId(notificationId) },
  concurrency: 4,
};
