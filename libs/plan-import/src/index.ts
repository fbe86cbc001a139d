export * from './types.js';
export { parse } from './parse.js';
export { COUNTY_FAN_OUT, isFanOutPhrase, splitUnits } from './owners.js';
export { nameCandidates, SHORT_FORMS } from './names.js';
export * from './document.js';
