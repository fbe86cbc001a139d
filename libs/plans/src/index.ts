export * from './errors.js';
export * from './plans.module.js';
export * from './plans.service.js';
export { decodeText, readPlanFile } from './plan-files.js';
export { readPlanFileOffLoop } from './plan-parser.js';
export { documentText } from './plan-text.js';
