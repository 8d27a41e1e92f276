import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { EnvKey, EnvNumber } from '@clocktower/config';
import { PlatformConfig } from '@clocktower/platform';
import { DEFAULT_PAGE_CACHE_PAGES } from '../adapters/bus/page-cache.js';

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
   * Job list pages kept in memory while the read model does not move (~40 KB each at 50 jobs);
   * 0 turns the cache off.
   */
  @EnvNumber('CLOCKTOWER_PAGE_CACHE') @IsInt() @Min(0) @Max(100_000) pageCache =
    DEFAULT_PAGE_CACHE_PAGES;
}
