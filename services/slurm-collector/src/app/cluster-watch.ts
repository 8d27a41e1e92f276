import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ClusterPolled } from '@clocktower/contracts';
import { BusClient } from '@clocktower/messaging';
import { SERVICE_CONTEXT, type ServiceContext } from '@clocktower/platform';
import {
  ClusterPoller,
  DEFAULT_POLL_SCHEDULE,
  type PollOutcome,
} from './polling/cluster-poller.js';
import { loadClustersFile, simulatedClusterSpec, type ClusterSpec } from './clusters.config.js';
import { createSource } from './source.factory.js';
import type { SlurmCollectorConfig } from './config.js';

/** A cluster is reported unready when its last poll is older than this many queue intervals. */
const STALE_AFTER_INTERVALS = 3;

/**
 * Every cluster this collector watches: one poller each, started once the application is up
 * (after rebuilding its state from the store), stopped before the store closes.
 */
@Injectable()
export class ClusterWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly pollers = new Map<string, ClusterPoller>();
  readonly specs: readonly ClusterSpec[];

  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<SlurmCollectorConfig>,
  ) {
    const { config, logger, readiness } = context;
    const client = new BusClient(context.bus);
    // Not stored (one event per poll would swamp the store): a lost one costs freshness, no data.
    const publishPoll = ({ cluster, ok, polledAt }: PollOutcome): void => {
      client
        .notify(
          ClusterPolled.category,
          BusClient.envelope(ClusterPolled, { cluster, ok, polledAt }),
        )
        .catch((error: unknown) => {
          logger.debug?.({
            msg: 'could not publish ClusterPolled',
            cluster,
            error: error instanceof Error ? error.message : String(error),
          });
        });
    };
    this.specs = config.clustersFile
      ? loadClustersFile(config.clustersFile)
      : [simulatedClusterSpec(config.simulatorSeed, config.simulatorSpeed)];
    for (const spec of this.specs) {
      const poller = new ClusterPoller({
        cluster: spec.name,
        source: createSource(spec, logger),
        store: context.store!,
        logger,
        onPolled: publishPoll,
        schedule: {
          ...DEFAULT_POLL_SCHEDULE,
          queueMs: spec.intervals.queueSeconds * 1000,
          nodesMs: spec.intervals.nodesSeconds * 1000,
          accountingMs: spec.intervals.accountingSeconds * 1000,
        },
      });
      this.pollers.set(spec.name, poller);
      readiness.add({
        name: `cluster ${spec.name}`,
        check: () => {
          const status = poller.status();
          const staleMs = spec.intervals.queueSeconds * 1000 * STALE_AFTER_INTERVALS;
          if (!status.lastSuccessAt) {
            return Promise.reject(
              new Error(status.lastFailure ? status.lastFailure.reason : 'not polled yet'),
            );
          }
          const age = Date.now() - Date.parse(status.lastSuccessAt);
          if (status.consecutiveFailures > 0 && age > staleMs) {
            return Promise.reject(
              new Error(
                `last good poll ${Math.round(age / 1000)} s ago; ${status.lastFailure?.reason ?? ''}`,
              ),
            );
          }
          return Promise.resolve(
            `${status.source}; ${status.jobsKnown} jobs, ${status.nodesKnown} nodes; last poll ${status.lastSuccessAt}`,
          );
        },
      });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const [cluster, poller] of this.pollers) {
      await poller.hydrate();
      this.context.logger.log({
        msg: 'watching cluster',
        cluster,
        source: poller.source.description,
        jobs: poller.state.jobs.size,
        nodes: poller.state.nodes.size,
      });
      poller.start();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const poller of this.pollers.values()) {
      await poller.stop();
      await poller.source.close();
    }
  }
}
