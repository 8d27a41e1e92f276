import { Module, type DynamicModule } from '@nestjs/common';
import { SERVICE_CONTEXT, type ServiceContext } from '@clocktower/platform';
import { BusClient } from '@clocktower/messaging';
import { SystemHealthController } from '../adapters/http/system-health.controller.js';
import type { GatewayConfig } from './config.js';

/**
 * gateway: the HTTP edge. It owns no job data: it asks the other services over the bus. Today it
 * serves /healthz, /readyz and /api/v1/system/health (the readiness of all five services).
 */
@Module({})
export class GatewayModule {
  static forContext(context: ServiceContext<GatewayConfig>): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [SystemHealthController],
      providers: [
        { provide: SERVICE_CONTEXT, useValue: context },
        { provide: BusClient, useValue: new BusClient(context.bus) },
      ],
    };
  }
}
