import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceContext } from '@clocktower/platform';
import type { ServiceManagerConfig } from './config.js';

/**
 * service-manager: starts, health-checks, restarts and stops containerized services. Its runtimes arrive with the services issue.
 * Today it joins the bus, answers GetServiceHealth and serves /healthz and /readyz.
 */
@Module({})
export class ServiceManagerModule {
  static forContext(_context: ServiceContext<ServiceManagerConfig>): DynamicModule {
    return { module: ServiceManagerModule };
  }
}
