import { PlatformConfig, BusKind, type LogLevelName } from '@clocktower/platform';

/**
 * The embedded process: the platform's keys, with the in-process bus and port 8080 by default,
 * and logs for a person at a terminal (warnings and errors, as text) unless told otherwise.
 */
export class EmbeddedConfig extends PlatformConfig {
  override bus: BusKind = BusKind.InProcess;
  override port = 8080;
  override logLevel: LogLevelName = 'warn';
  override logFormat: 'json' | 'text' = 'text';
}
