export * from './timer-firing.service.js';
export * from './timer-pump.service.js';
export * from './timers.module.js';
export * from './timers.queue.js';
export * from './firing.js';
export * from './timer-replan.service.js';
export * from './timer-replans.queue.js';
