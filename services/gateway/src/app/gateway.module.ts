import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { SERVICE_CONTEXT, type ServiceContext } from '@clocktower/platform';
import { BusClient } from '@clocktower/messaging';
import { ProjectionsAdminController } from '../adapters/http/admin/projections-admin.controller.js';
import {
  CLOCKWORK_CONTROLLERS,
  CLOCKWORK_PROVIDERS,
} from '../adapters/http/clockwork/clockwork.wiring.js';
import { ClustersController } from '../adapters/http/clusters/clusters.controller.js';
import { DashboardModule } from '../adapters/http/dashboard/dashboard.module.js';
import { ApiExceptionFilter } from '../adapters/http/errors/api-exception.filter.js';
import { ChangeStreams } from '../adapters/http/events/change-streams.js';
import { EventsController } from '../adapters/http/events/events.controller.js';
import { ProjectionAdvances } from '../adapters/http/events/projection-advances.js';
import { JobsController } from '../adapters/http/jobs/jobs.controller.js';
import { NodesController } from '../adapters/http/nodes/nodes.controller.js';
import { ApiDocsController } from '../adapters/http/openapi/api-docs.controller.js';
import { ProjectionClient } from '../adapters/http/projection.client.js';
import { SystemHealthController } from '../adapters/http/system-health.controller.js';
import { DtoPipe } from '../adapters/http/validation/dto.pipe.js';
import { AuthModule } from '../auth/auth.module.js';
import type { GatewayConfig } from './config.js';

/**
 * gateway: the HTTP edge. It owns no job data: the REST API (/api/v1) and the change stream ask
 * job-projection over the bus; users and API keys (AuthModule) are its own, kept in the store.
 * Every HTTP error leaves as JSON through ApiExceptionFilter.
 */
@Module({})
export class GatewayModule {
  static forContext(context: ServiceContext<GatewayConfig>): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        AuthModule.forContext(context),
        DashboardModule.serving(context.config.dashboardDir),
      ],
      controllers: [
        SystemHealthController,
        JobsController,
        NodesController,
        ClustersController,
        EventsController,
        ProjectionsAdminController,
        ApiDocsController,
        ...CLOCKWORK_CONTROLLERS,
      ],
      providers: [
        { provide: SERVICE_CONTEXT, useValue: context },
        { provide: BusClient, useValue: new BusClient(context.bus) },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        ProjectionClient,
        ProjectionAdvances,
        ChangeStreams,
        DtoPipe,
        ...CLOCKWORK_PROVIDERS,
      ],
    };
  }
}
