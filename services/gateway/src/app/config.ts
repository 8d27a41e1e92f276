import { PlatformConfig } from '@clocktower/platform';

/** gateway's configuration: the platform's keys (see the README), with its own default PORT. */
export class GatewayConfig extends PlatformConfig {
  override port = 8080;
}
