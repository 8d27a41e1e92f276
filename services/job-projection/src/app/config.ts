import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { EnvKey, EnvNumber } from '@clocktower/config';
import { PlatformConfig } from '@clocktower/platform';
import { DEFAULT_PAGE_CACHE_MB } from '../adapters/bus/page-cache.js';

/** job-projection's configuration: the platform's keys (see the README), its own PORT and file. */
export class JobProjectionConfig extends PlatformConfig {
  override port = 8082;

  /**
   * The jobs read model's SQLite file; default `<CLOCKTOWER_DATA>/projection-jobs.db`. A rebuild
   * writes a sibling file and switches to it; `<file>.active` then names the file in use.
   */
  @EnvKey('CLOCKTOWER_PROJECTION_DB') @IsOptional() @IsString() @IsNotEmpty() projectionDb:
    string | undefined = undefined;

  /**
   * MiB of job list answers kept in memory while the read model does not move (a page of 50 jobs
   * is ~40 KB); 0 turns the cache off.
   */
  @EnvNumber('CLOCKTOWER_PAGE_CACHE_MB') @IsInt() @Min(0) @Max(4_096) pageCacheMb =
    DEFAULT_PAGE_CACHE_MB;
}
