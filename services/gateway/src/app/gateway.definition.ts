import { ServiceName } from '@clocktower/contracts';
import { HIGH_THROUGHPUT_V8_FLAGS, type ServiceDefinition } from '@clocktower/platform';
import { GatewayConfig } from './config.js';
import { GatewayModule } from './gateway.module.js';

export const GatewayDefinition: ServiceDefinition<GatewayConfig> = {
  name: ServiceName.Gateway,
  configClass: GatewayConfig,
  // The gateway owns no job data (it asks the other services), but it keeps its users and their
  // API keys as events in the store: `user-…` streams.
  needsStore: true,
  // Clockwork's job-user props may reach 2 MiB (its limit, answered 400 past it here): a body
  // carrying that much must get through the parser, which otherwise stops at 100 kB.
  jsonBodyLimit: '3mb',
  // Every jobs page passes through (40 KB at thousands a second): see HIGH_THROUGHPUT_V8_FLAGS.
  v8Flags: HIGH_THROUGHPUT_V8_FLAGS,
  module: (context) => GatewayModule.forContext(context),
};
