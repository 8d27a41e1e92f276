#!/usr/bin/env node
import { ConfigError, parseConfig } from '@clocktower/config';
import { createLogger, sqliteStoreFile, StoreKind, tuneServiceRuntime } from '@clocktower/platform';
import { accessLines } from './access-banner.js';
import { EmbeddedConfig } from './embedded.config.js';
import { startEmbedded } from './embedded.js';

tuneServiceRuntime();
let config: EmbeddedConfig;
try {
  // The one place the embedded process reads its environment.
  config = parseConfig(EmbeddedConfig, process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`clocktower: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger(config, 'clocktower');
try {
  const clocktower = await startEmbedded(config, logger);
  const where = config.store === StoreKind.Sqlite ? sqliteStoreFile(config) : config.store;
  console.log(
    [
      '',
      `Clocktower is running (embedded mode: all five services in this process, ${config.bus} bus).`,
      `  health:        ${clocktower.url}/healthz   ${clocktower.url}/readyz`,
      `  all services:  ${clocktower.url}/api/v1/system/health`,
      `  event store:   ${where}`,
      ...accessLines(clocktower.url, clocktower.admin),
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
  const stop = async (signal: string): Promise<void> => {
    logger.log({ msg: 'stopping', signal });
    await clocktower.close();
    process.exit(0);
  };
  process.once('SIGINT', (s) => void stop(s));
  process.once('SIGTERM', (s) => void stop(s));
} catch (error) {
  logger.fatal({
    msg: 'cannot start Clocktower',
    error: error instanceof Error ? error.message : String(error),
  });
  process.exit(1);
}
