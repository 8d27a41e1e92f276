import { ServiceName } from '@clocktower/contracts';
import type { ServiceDefinition } from '@clocktower/platform';
import { GatewayConfig } from './config.js';
import { GatewayModule } from './gateway.module.js';

export const GatewayDefinition: ServiceDefinition<GatewayConfig> = {
  name: ServiceName.Gateway,
  configClass: GatewayConfig,
  // The gateway owns no job data (it asks the other services), but it keeps its users and their
  // API keys as events in the store: `user-…` streams.
  needsStore: true,
  module: (context) => GatewayModule.forContext(context),
};
