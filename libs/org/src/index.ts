export * from './org.module.js';
export * from './passwords.js';
export * from './users.service.js';
