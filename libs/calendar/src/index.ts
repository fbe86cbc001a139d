export * from './calendar.js';
export * from './duration.js';
export * from './ics.js';
export * from './holiday-cn.js';
export * from './year-schedule.js';
export * from './coverage.js';
export { DAY, HOUR, LOCAL_DATE, type LocalParts, localParts, MINUTE, periodBound, TimeZoneError, ZoneOffsets } from './zone.js';
export * from './chinese-days.js';
export * from './wording.js';
