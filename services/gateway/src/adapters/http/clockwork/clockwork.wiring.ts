import type { Provider, Type } from '@nestjs/common';
import { SERVICE_CONTEXT, type ServiceContext } from '@clocktower/platform';
import { JobUserPropsStore } from '../../store/job-user-props.store.js';
import { JobUserPropsController } from '../jobs/job-user-props.controller.js';
import { JobUserPropsService } from '../user-props/job-user-props.service.js';
import { ClockworkAuthGuard } from './clockwork-auth.guard.js';
import { ClockworkJobsController } from './clockwork-jobs.controller.js';
import { ClockworkNodesController } from './clockwork-nodes.controller.js';

/**
 * What the Clockwork API and users' job props add to the gateway module: its controllers and
 * providers, in one place so the module lists them with one line each.
 */
export const CLOCKWORK_CONTROLLERS: Type[] = [
  ClockworkJobsController,
  ClockworkNodesController,
  JobUserPropsController,
];

export const CLOCKWORK_PROVIDERS: Provider[] = [
  {
    provide: JobUserPropsStore,
    inject: [SERVICE_CONTEXT],
    useFactory: (context: ServiceContext) => {
      if (!context.store)
        throw new Error(
          'job-user props are kept in the event store: start the gateway with a store',
        );
      return new JobUserPropsStore(context.store);
    },
  },
  JobUserPropsService,
  ClockworkAuthGuard,
];
