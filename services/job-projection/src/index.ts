export { JobProjectionDefinition } from './app/job-projection.definition.js';
export { JobProjectionConfig } from './app/config.js';
