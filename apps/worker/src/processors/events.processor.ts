import { Inject, Injectable } from '@nestjs/common';
import { EVENTS_QUEUE, type EventJobs, WEBHOOKS_QUEUE, type WebhookJobs, WebhooksService } from '@duban/notifications';
import type { JobHandlers, QueueProcessor } from '@duban/queues';

@Injectable()
export class EventsProcessor implements QueueProcessor<EventJobs> {
  readonly queue = EVENTS_QUEUE;
  readonly handlers: JobHandlers<EventJobs>;

  constructor(@Inject(WebhooksService) webhooks: WebhooksService) {
    this.handlers = { dispatch: (job) => webhooks.dispatch(job.data.outboxId) };
  }
}

@Injectable()
export class WebhooksProcessor implements QueueProcessor<WebhookJobs> {
  readonly queue = WEBHOOKS_QUEUE;
  readonly handlers: JobHandlers<WebhookJobs>;

  constructor(@Inject(WebhooksService) webhooks: WebhooksService) {
    this.handlers = { deliver: (job) => webhooks.deliver(job.data.deliveryId, job.attemptsMade + 1) };
  }
}
