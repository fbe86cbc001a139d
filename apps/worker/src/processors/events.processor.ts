import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '@duban/http';
import { EVENTS_QUEUE, type EventJobs, OutboxEventsService, WEBHOOKS_QUEUE, type WebhookJobs, WebhooksService } from '@duban/notifications';
import type { JobHandlers, QueueProcessor } from '@duban/queues';

@Injectable()
export class EventsProcessor implements QueueProcessor<EventJobs> {
  readonly queue = EVENTS_QUEUE;
  readonly handlers: JobHandlers<EventJobs>;

  constructor(@Inject(OutboxEventsService) events: OutboxEventsService) {
    this.handlers = { dispatch: (job) => events.dispatch(job.data.outboxId) };
  }
}

@Injectable()
export class WebhooksProcessor implements QueueProcessor<WebhookJobs> {
  readonly queue = WEBHOOKS_QUEUE;
  readonly handlers: JobHandlers<WebhookJobs>;

  constructor(@Inject(WebhooksService) webhooks: WebhooksService, @Inject(MetricsRegistry) registry: MetricsRegistry) {
    const failures = new Counter({
      name: 'duban_webhook_failures_total',
      help: 'Webhook delivery attempts the subscriber did not accept',
      registers: [registry],
    });
    this.handlers = {
      deliver: (job) =>
        webhooks.deliver(job.data.deliveryId, job.attemptsMade + 1).catch((err: unknown) => {
          failures.inc();
          throw err;
        }),
    };
  }
}
