export * from './anchor-log.js';
export * from './audit.module.js';
export * from './audit.service.js';
export * from './canonical.js';
export * from './chain.js';
export * from './audit.queue.js';
