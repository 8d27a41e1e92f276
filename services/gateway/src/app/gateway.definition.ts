import { ServiceName } from '@clocktower/contracts';
import type { ServiceDefinition } from '@clocktower/platform';
import { GatewayConfig } from './config.js';
import { GatewayModule } from './gateway.module.js';

export const GatewayDefinition: ServiceDefinition<GatewayConfig> = {
  name: ServiceName.Gateway,
  configClass: GatewayConfig,
  // The gateway owns no data: everything it shows it asks the other services for.
  needsStore: false,
  module: (context) => GatewayModule.forContext(context),
};
