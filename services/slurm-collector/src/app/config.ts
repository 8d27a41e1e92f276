import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { EnvKey, EnvNumber } from '@clocktower/config';
import { PlatformConfig } from '@clocktower/platform';

/** slurm-collector's configuration: the platform's keys, its own default PORT, and its clusters. */
export class SlurmCollectorConfig extends PlatformConfig {
  override port = 8081;

  /** A JSON file listing the clusters to watch (see the README); without it, the simulated cluster. */
  @EnvKey('CLOCKTOWER_CLUSTERS_FILE') @IsOptional() @IsString() clustersFile: string | undefined =
    undefined;

  /**
   * The simulated cluster's seed and speed (virtual seconds per real second). Speed 1 keeps its
   * Slurm timestamps on the wall clock, so "last seen" and durations read true.
   */
  @EnvNumber('CLOCKTOWER_SIM_SEED') @IsInt() simulatorSeed = 1;
  @EnvNumber('CLOCKTOWER_SIM_SPEED') @IsInt() @Min(1) @Max(100_000) simulatorSpeed = 1;
}
