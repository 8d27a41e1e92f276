import { BusKind, type LogLevelName } from '@clocktower/platform';
import { GatewayConfig } from '@clocktower/gateway';

/**
 * The embedded process: the platform's keys and the gateway's (it runs the gateway), with the
 * in-process bus and port 8080 by default, logs for a person at a terminal (warnings and errors,
 * as text) unless told otherwise, and the first admin created on the first start
 * (CLOCKTOWER_BOOTSTRAP_ADMIN, on here), its key left in `<CLOCKTOWER_DATA>/admin.key`.
 */
export class EmbeddedConfig extends GatewayConfig {
  override bus: BusKind = BusKind.InProcess;
  override port = 8080;
  override logLevel: LogLevelName = 'warn';
  override logFormat: 'json' | 'text' = 'text';
  override bootstrapAdmin = true;
}
