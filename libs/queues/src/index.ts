export * from './coalescer.js';
export * from './job-recovery.js';
export * from './producer.js';
export * from './queue-definition.js';
export * from './queue-workers.js';
export * from './queues.module.js';
export * from './redis.js';
export * from './rounds.js';
