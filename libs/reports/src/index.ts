export * from './bulletin.js';
export * from './reports.module.js';
export * from './reports.queue.js';
export * from './reports.service.js';
export * from './errors.js';
export * from './trend.js';
