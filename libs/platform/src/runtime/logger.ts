import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { LOG_LEVELS, type PlatformConfig } from '../platform.config.js';

/** Structured logs: one JSON object a line (LOG_FORMAT=text for humans at a terminal). */
export function createLogger(
  config: Pick<PlatformConfig, 'logLevel' | 'logFormat'>,
  context?: string,
): ConsoleLogger {
  const upTo = LOG_LEVELS.indexOf(config.logLevel);
  const logLevels: LogLevel[] = ['fatal', ...LOG_LEVELS.slice(0, upTo + 1)];
  const json = config.logFormat === 'json';
  return new ConsoleLogger(context ?? 'clocktower', {
    json,
    logLevels,
    colors: !json && process.stdout.isTTY,
  });
}
