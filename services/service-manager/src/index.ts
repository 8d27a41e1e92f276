export { ServiceManagerDefinition } from './app/service-manager.definition.js';
export { ServiceManagerConfig } from './app/config.js';
