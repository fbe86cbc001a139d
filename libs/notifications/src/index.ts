export * from './messages.js';
export * from './notifications.module.js';
export * from './notifications.service.js';
export * from './recipients.js';
