export * from './calendar.js';
export * from './duration.js';
export * from './ics.js';
export * from './holiday-cn.js';
export * from './year-schedule.js';
export { DAY, HOUR, type LocalParts, localParts, MINUTE, TimeZoneError, ZoneOffsets } from './zone.js';
export * from './chinese-days.js';
export * from './wording.js';
