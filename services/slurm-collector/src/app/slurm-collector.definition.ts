import { ServiceName } from '@clocktower/contracts';
import type { ServiceDefinition } from '@clocktower/platform';
import { SlurmCollectorConfig } from './config.js';
import { SlurmCollectorModule } from './slurm-collector.module.js';

export const SlurmCollectorDefinition: ServiceDefinition<SlurmCollectorConfig> = {
  name: ServiceName.SlurmCollector,
  configClass: SlurmCollectorConfig,
  needsStore: true,
  module: (context) => SlurmCollectorModule.forContext(context),
};
