import type { LoggerService } from '@nestjs/common';
import type { EventStore } from '@clocktower/event-store';
import type { MessageBus } from '@clocktower/messaging';
import {
  connectMessageBus,
  openEventStore,
  startService,
  type RunningService,
  type ServiceDefinition,
  type PlatformConfig,
} from '@clocktower/platform';
import { adminAccess, GatewayDefinition, type AdminAccess } from '@clocktower/gateway';
import { SlurmCollectorDefinition } from '@clocktower/slurm-collector';
import { JobProjectionDefinition } from '@clocktower/job-projection';
import { PipelineOrchestratorDefinition } from '@clocktower/pipeline-orchestrator';
import { ServiceManagerDefinition } from '@clocktower/service-manager';
import type { EmbeddedConfig } from './embedded.config.js';

export interface EmbeddedClocktower {
  readonly url: string;
  readonly services: readonly RunningService[];
  readonly bus: MessageBus;
  readonly store: EventStore;
  /** Whether there is an admin and where their key file is: for the banner. */
  readonly admin: AdminAccess;
  close(): Promise<void>;
}

/** The services behind the gateway start first, so the gateway never answers for a missing one. */
const BACKEND: readonly ServiceDefinition<PlatformConfig>[] = [
  SlurmCollectorDefinition,
  JobProjectionDefinition,
  PipelineOrchestratorDefinition,
  ServiceManagerDefinition,
];

/** All five services in this process, sharing one bus and one store. */
export async function startEmbedded(
  config: EmbeddedConfig,
  logger: LoggerService,
): Promise<EmbeddedClocktower> {
  const bus = await connectMessageBus(config, 'clocktower-embedded', logger);
  const store = await openEventStore(config).catch(async (error: unknown) => {
    await bus.close();
    throw error;
  });
  const services: RunningService[] = [];
  const close = async (): Promise<void> => {
    for (const service of services.reverse()) await service.close();
    await bus.close();
    await store.close();
  };
  try {
    for (const definition of BACKEND) {
      services.push(await startService(definition, { config, bus, store, logger, http: false }));
    }
    // The gateway keeps its users in the store, and creates the first admin on the first start.
    const gateway = await startService(GatewayDefinition, {
      config,
      bus,
      store,
      logger,
      http: true,
    });
    services.push(gateway);
    const admin = await adminAccess(store, config.dataDir);
    return { url: gateway.url!, services, bus, store, admin, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
