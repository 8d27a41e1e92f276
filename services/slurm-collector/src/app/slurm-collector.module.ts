import { Module, type DynamicModule } from '@nestjs/common';
import { SERVICE_CONTEXT, type ServiceContext } from '@clocktower/platform';
import type { SlurmCollectorConfig } from './config.js';
import { ClusterWatch } from './cluster-watch.js';
import { JobSubmitter } from './commands/job-submitter.js';
import { slurmCommandsController } from './commands/slurm-commands.controller.js';

/**
 * slurm-collector: the only service that talks to Slurm. It watches every configured cluster (or
 * the simulated one), appends one event per observed change, and carries out SubmitJob and
 * CancelJob for the rest of the system.
 */
@Module({})
export class SlurmCollectorModule {
  static forContext(context: ServiceContext<SlurmCollectorConfig>): DynamicModule {
    const watch = new ClusterWatch(context);
    const submitter = new JobSubmitter(context.store!, (cluster) => watch.pollers.get(cluster));
    return {
      module: SlurmCollectorModule,
      controllers: [slurmCommandsController(submitter)],
      providers: [
        { provide: SERVICE_CONTEXT, useValue: context },
        { provide: ClusterWatch, useValue: watch },
      ],
    };
  }
}
