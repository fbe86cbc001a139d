export * from './errors.js';
export * from './scope.js';
export * from './task-view.js';
export * from './tasks.module.js';
export * from './tasks.service.js';
export * from './tasks.queue.js';
export * from './task-import.service.js';
