export * from './types.js';
export { parse, parseDocument } from './parse.js';
export { readTextDocument } from './text-tables.js';
export { NO_TASK_COLUMN } from './tables.js';
export { COUNTY_FAN_OUT, isFanOutPhrase, splitUnits } from './owners.js';
export { nameCandidates, SHORT_FORMS } from './names.js';
export * from './document.js';
