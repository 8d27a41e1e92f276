import { ServiceName } from '@clocktower/contracts';
import type { ServiceDefinition } from '@clocktower/platform';
import { JobProjectionConfig } from './config.js';
import { JobProjectionModule } from './job-projection.module.js';

export const JobProjectionDefinition: ServiceDefinition<JobProjectionConfig> = {
  name: ServiceName.JobProjection,
  configClass: JobProjectionConfig,
  needsStore: true,
  module: (context) => JobProjectionModule.forContext(context),
};
