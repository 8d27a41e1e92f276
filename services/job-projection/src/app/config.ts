import { PlatformConfig } from '@clocktower/platform';

/** job-projection's configuration: the platform's keys (see the README), with its own default PORT. */
export class JobProjectionConfig extends PlatformConfig {
  override port = 8082;
}
