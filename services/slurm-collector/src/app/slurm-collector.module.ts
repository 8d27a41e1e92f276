import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceContext } from '@clocktower/platform';
import type { SlurmCollectorConfig } from './config.js';

/**
 * slurm-collector: polls Slurm clusters and appends one event per observed change of a job or node; executes slurm.* commands (submit, cancel). Its pollers and commands arrive with the collector issue.
 * Today it joins the bus, answers GetServiceHealth and serves /healthz and /readyz.
 */
@Module({})
export class SlurmCollectorModule {
  static forContext(_context: ServiceContext<SlurmCollectorConfig>): DynamicModule {
    return { module: SlurmCollectorModule };
  }
}
