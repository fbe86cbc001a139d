export * from './events.queue.js';
export * from './mail.service.js';
export * from './messages.js';
export * from './notifications.module.js';
export * from './notifications.service.js';
export * from './outbox-relay.service.js';
export * from './recipients.js';
export * from './webhooks.service.js';
