import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { EVENTS_QUEUE } from './events.queue.js';
import { MAIL_QUEUE } from './mail.queue.js';
import { WEBHOOKS_QUEUE } from './webhooks.queue.js';
import { MailService } from './mail.service.js';
import { NotificationsService } from './notifications.service.js';
import { OutboxRelayService } from './outbox-relay.service.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [
    BullModule.registerQueue(
      { name: WEBHOOKS_QUEUE.name, defaultJobOptions: WEBHOOKS_QUEUE.defaultJobOptions },
      { name: MAIL_QUEUE.name, defaultJobOptions: MAIL_QUEUE.defaultJobOptions },
    ),
  ],
  providers: [NotificationsService, WebhooksService, MailService],
  exports: [NotificationsService, WebhooksService, MailService],
})
export class NotificationsModule {}

/** The worker's side: the relay that turns committed outbox rows into jobs. */
@Module({
  imports: [NotificationsModule, BullModule.registerQueue({ name: EVENTS_QUEUE.name, defaultJobOptions: EVENTS_QUEUE.defaultJobOptions })],
  providers: [OutboxRelayService],
  exports: [OutboxRelayService],
})
export class OutboxRelayModule {}
