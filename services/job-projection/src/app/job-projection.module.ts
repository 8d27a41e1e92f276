import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ServiceContext } from '@clocktower/platform';
import { changesController } from '../adapters/bus/changes.controller.js';
import { clustersController } from '../adapters/bus/clusters.controller.js';
import { jobsController } from '../adapters/bus/jobs.controller.js';
import { jobUserPropsController } from '../adapters/bus/job-user-props.controller.js';
import { nodesController } from '../adapters/bus/nodes.controller.js';
import { projectionsAdminController } from '../adapters/bus/projections-admin.controller.js';
import type { JobProjectionConfig } from './config.js';
import {
  JobsProjectionService,
  type JobsProjectionOptions,
} from './projector/jobs-projection.service.js';
import { ReadModelFiles } from './projector/read-model.files.js';

/** Starts following the store once the application is up; stops before the store closes. */
@Injectable()
class ProjectionLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(JobsProjectionService) private readonly projection: JobsProjectionService) {}

  onApplicationBootstrap(): Promise<void> {
    return this.projection.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.projection.stop();
  }
}

/** CLOCKTOWER_PAGE_CACHE_MB; absent from the embedded process's config, whose default then holds. */
function pageCacheOf(config: Partial<Pick<JobProjectionConfig, 'pageCacheMb'>>): {
  pageCacheBytes?: number;
} {
  return config.pageCacheMb === undefined ? {} : { pageCacheBytes: config.pageCacheMb * 2 ** 20 };
}

/** What a test may change in how the projection runs (a model that fails, small batches…). */
export type JobProjectionOverrides = Partial<
  Pick<
    JobsProjectionOptions,
    'openModel' | 'clock' | 'batchSize' | 'rebuildBatchSize' | 'retry' | 'pageCacheBytes'
  >
>;

/**
 * job-projection: follows the event store into its read models (jobs, nodes, clusters, users,
 * histories, pending time), answers their queries over the bus in the queue group
 * `job-projection`, and rebuilds them by replay on request.
 */
@Module({})
export class JobProjectionModule {
  static forContext(
    context: ServiceContext<JobProjectionConfig>,
    overrides: JobProjectionOverrides = {},
  ): DynamicModule {
    if (!context.store) throw new Error('job-projection needs the event store');
    const projection = new JobsProjectionService({
      store: context.store,
      bus: context.bus,
      logger: context.logger,
      // The embedded process passes its own config, without this service's keys: defaults then.
      files: ReadModelFiles.fromConfig(context.config),
      ...pageCacheOf(context.config),
      ...overrides,
    });
    context.readiness.add(projection.readinessCheck());
    return {
      module: JobProjectionModule,
      controllers: [
        jobsController(projection),
        nodesController(projection),
        clustersController(projection),
        changesController(projection),
        projectionsAdminController(projection),
        jobUserPropsController(projection),
      ],
      providers: [{ provide: JobsProjectionService, useValue: projection }, ProjectionLifecycle],
      exports: [JobsProjectionService],
    };
  }
}
