export * from './attachment-store.js';
export * from './attachments.module.js';
export * from './attachments.service.js';
export * from './content-type.js';
export * from './errors.js';
export * from './evidence.js';
export * from './filename.js';
export * from './limits.js';
