import { IsOptional, IsString, IsNotEmpty } from 'class-validator';
import { EnvKey } from '@clocktower/config';
import { PlatformConfig } from '@clocktower/platform';

/** job-projection's configuration: the platform's keys (see the README), its own PORT and file. */
export class JobProjectionConfig extends PlatformConfig {
  override port = 8082;

  /**
   * The jobs read model's SQLite file; default `<CLOCKTOWER_DATA>/projection-jobs.db`. A rebuild
   * writes a sibling file and switches to it; `<file>.active` then names the file in use.
   */
  @EnvKey('CLOCKTOWER_PROJECTION_DB') @IsOptional() @IsString() @IsNotEmpty() projectionDb:
    string | undefined = undefined;
}
