export * from './calendars.module.js';
export * from './calendars.service.js';
export * from './errors.js';
