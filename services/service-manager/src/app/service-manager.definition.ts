import { ServiceName } from '@clocktower/contracts';
import type { ServiceDefinition } from '@clocktower/platform';
import { ServiceManagerConfig } from './config.js';
import { ServiceManagerModule } from './service-manager.module.js';

export const ServiceManagerDefinition: ServiceDefinition<ServiceManagerConfig> = {
  name: ServiceName.ServiceManager,
  configClass: ServiceManagerConfig,
  needsStore: true,
  module: (context) => ServiceManagerModule.forContext(context),
};
