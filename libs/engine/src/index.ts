export * from './decide.js';
export * from './definition.js';
export * from './timers.js';
export * from './validate.js';
export * from './builtin.js';
export * from './acts.js';
export * from './due-date.js';
