export * from './bootstrap.js';
export * from './logging.js';
export * from './metrics.js';
export * from './problem.js';
export * from './public.decorator.js';
export * from './validation.js';
export * from './paging.js';
