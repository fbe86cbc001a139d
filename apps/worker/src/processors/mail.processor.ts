import { Inject, Injectable } from '@nestjs/common';
import { MAIL_QUEUE, type MailJobs, MailService } from '@duban/notifications';
import type { JobHandlers, QueueProcessor } from '@duban/queues';

@Injectable()
export class MailProcessor implements QueueProcessor<MailJobs> {
  readonly queue = MAIL_QUEUE;
  readonly handlers: JobHandlers<MailJobs>;

  constructor(@Inject(MailService) mail: MailService) {
    this.handlers = { send: (job) => mail.send(job.data.notificationId) };
  }
}
