export * from './calendar.js';
export * from './duration.js';
export * from './ics.js';
export { DAY, HOUR, MINUTE, TimeZoneError } from './zone.js';
export * from './chinese-days.js';
