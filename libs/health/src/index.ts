export * from './health.module.js';
export * from './db-pool.metrics.js';
