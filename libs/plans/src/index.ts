export * from './errors.js';
export * from './plans.module.js';
export * from './plans.service.js';
