export { GatewayDefinition } from './app/gateway.definition.js';
export { GatewayConfig } from './app/config.js';
