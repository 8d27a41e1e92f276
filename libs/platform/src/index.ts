import 'reflect-metadata';

export {
  PlatformConfig,
  BusKind,
  StoreKind,
  LOG_LEVELS,
  type LogLevelName,
} from './platform.config.js';
export { createLogger } from './runtime/logger.js';
export { connectMessageBus } from './adapters/message-bus.factory.js';
export { openEventStore, sqliteStoreFile } from './adapters/event-store.factory.js';
export { Readiness, READINESS_CHECK_TIMEOUT_MS, type ReadinessCheck } from './health/readiness.js';
export { healthHttpController } from './health/health.http.controller.js';
export { healthBusController } from './health/health.bus.controller.js';
export {
  SERVICE_CONTEXT,
  type ServiceContext,
  type ServiceDefinition,
} from './runtime/service-definition.js';
export {
  startService,
  CLOCKTOWER_VERSION,
  type RunningService,
  type StartOptions,
} from './runtime/start-service.js';
export { runStandalone } from './runtime/run-standalone.js';
export {
  HIGH_THROUGHPUT_V8_FLAGS,
  SERVICE_V8_FLAGS,
  tuneServiceRuntime,
} from './runtime/gc-tuning.js';
