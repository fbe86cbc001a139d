export * from './clock.js';
export * from './data-source.js';
export * from './entities/index.js';
export { MIGRATIONS } from './migrations/index.js';
export * from './pg-errors.js';
export * from './audit-ownership.js';
