import { Module } from '@nestjs/common';
import { ProducersModule } from '@duban/queues';
import { EVENTS_QUEUE } from './events.queue.js';
import { MAIL_QUEUE } from './mail.queue.js';
import { WEBHOOKS_QUEUE } from './webhooks.queue.js';
import { MailService } from './mail.service.js';
import { NotificationsService } from './notifications.service.js';
import { EffectsSweepService } from './effects-sweep.service.js';
import { OutboxEventsService } from './outbox-events.service.js';
import { OutboxRelayService } from './outbox-relay.service.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [ProducersModule.register(WEBHOOKS_QUEUE, MAIL_QUEUE)],
  providers: [NotificationsService, WebhooksService, MailService, OutboxEventsService],
  exports: [NotificationsService, WebhooksService, MailService, OutboxEventsService],
})
export class NotificationsModule {}

/** The worker's side: the relay that turns committed outbox rows into jobs, and the sweep that puts back the jobs of undone effects. */
@Module({
  imports: [NotificationsModule, ProducersModule.register(EVENTS_QUEUE)],
  providers: [OutboxRelayService, EffectsSweepService],
  exports: [OutboxRelayService, EffectsSweepService],
})
export class OutboxRelayModule {}
