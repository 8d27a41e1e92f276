export { GatewayDefinition } from './app/gateway.definition.js';
export { GatewayConfig } from './app/config.js';
export {
  adminAccess,
  adminKeyFile,
  bootstrapAdmin,
  type AdminAccess,
  type AdminBootstrapOutcome,
} from './auth/admin-bootstrap.js';
