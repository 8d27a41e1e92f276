import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceContext } from '@clocktower/platform';
import type { JobProjectionConfig } from './config.js';

/**
 * job-projection: subscribes to the event store and keeps the read models (jobs, nodes, clusters, history); answers queries over the bus. Its read models arrive with the projection issue.
 * Today it joins the bus, answers GetServiceHealth and serves /healthz and /readyz.
 */
@Module({})
export class JobProjectionModule {
  static forContext(_context: ServiceContext<JobProjectionConfig>): DynamicModule {
    return { module: JobProjectionModule };
  }
}
