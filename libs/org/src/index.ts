export * from './departments.service.js';
export * from './errors.js';
export * from './org.module.js';
export * from './passwords.js';
export * from './users.service.js';
