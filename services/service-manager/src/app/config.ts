import { PlatformConfig } from '@clocktower/platform';

/** service-manager's configuration: the platform's keys (see the README), with its own default PORT. */
export class ServiceManagerConfig extends PlatformConfig {
  override port = 8084;
}
