import { ConfigError, parseConfig } from '@clocktower/config';
import type { EventStore } from '@clocktower/event-store';
import type { MessageBus } from '@clocktower/messaging';
import { connectMessageBus } from '../adapters/message-bus.factory.js';
import { openEventStore } from '../adapters/event-store.factory.js';
import { tuneServiceRuntime } from './gc-tuning.js';
import { createLogger } from './logger.js';
import { startService } from './start-service.js';
import type { PlatformConfig } from '../platform.config.js';
import type { ServiceDefinition } from './service-definition.js';

/**
 * A service's main in its own process: configuration parsed once (a bad value stops the process
 * naming the key), adapters opened (an unusable store or bus stops it with what to do), HTTP
 * health on PORT, graceful shutdown on SIGTERM/SIGINT.
 */
export async function runStandalone<C extends PlatformConfig>(
  definition: ServiceDefinition<C>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  tuneServiceRuntime(definition.v8Flags);
  let config: C;
  try {
    config = parseConfig(definition.configClass, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${definition.name}: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config, definition.name);
  let bus: MessageBus | undefined;
  let store: EventStore | undefined;
  try {
    bus = await connectMessageBus(config, definition.name, logger);
    store = definition.needsStore ? await openEventStore(config) : undefined;
    const running = await startService(definition, {
      config,
      bus,
      ...(store ? { store } : {}),
      logger,
      http: true,
    });
    const stop = async (signal: string): Promise<void> => {
      logger.log({ msg: 'stopping', service: definition.name, signal });
      await running.close();
      await bus?.close();
      await store?.close();
      process.exit(0);
    };
    process.once('SIGTERM', (s) => void stop(s));
    process.once('SIGINT', (s) => void stop(s));
  } catch (error) {
    logger.fatal({
      msg: 'cannot start',
      service: definition.name,
      error: error instanceof Error ? error.message : String(error),
    });
    await bus?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    process.exit(1);
  }
}
