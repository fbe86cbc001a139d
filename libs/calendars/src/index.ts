export * from './calendar-year-notices.service.js';
export * from './calendar-gaps.js';
export * from './calendar-years.queue.js';
export * from './calendars.module.js';
export * from './calendars.service.js';
export * from './errors.js';
