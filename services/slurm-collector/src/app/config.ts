import { PlatformConfig } from '@clocktower/platform';

/** slurm-collector's configuration: the platform's keys (see the README), with its own default PORT. */
export class SlurmCollectorConfig extends PlatformConfig {
  override port = 8081;
}
