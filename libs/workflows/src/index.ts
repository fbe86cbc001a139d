export * from './errors.js';
export * from './workflows.module.js';
export * from './workflows.service.js';
export * from './workflow-runtime.js';
