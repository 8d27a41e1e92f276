import type { DynamicModule, LoggerService } from '@nestjs/common';
import type { ServiceName } from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';
import type { MessageBus } from '@clocktower/messaging';
import type { PlatformConfig } from '../platform.config.js';
import type { Readiness } from '../health/readiness.js';

/** What a service's module is built from: the same in its own process and in the embedded one. */
export interface ServiceContext<C extends PlatformConfig = PlatformConfig> {
  readonly config: C;
  readonly bus: MessageBus;
  /** Present when the definition says it needs the event store. */
  readonly store: EventStore | undefined;
  readonly readiness: Readiness;
  readonly logger: LoggerService;
}

/** Nest injection token of the ServiceContext inside a service's module. */
export const SERVICE_CONTEXT = Symbol('clocktower:service-context');

export interface ServiceDefinition<C extends PlatformConfig = PlatformConfig> {
  readonly name: ServiceName;
  readonly configClass: new () => C;
  readonly needsStore: boolean;
  /**
   * Largest JSON request body its HTTP server accepts (body-parser's `limit`: `'3mb'`); default
   * Nest's 100 kB. Larger bodies are answered 413 before any route runs.
   */
  readonly jsonBodyLimit?: string;
  /**
   * V8 flags its own process sets at start beside SERVICE_V8_FLAGS (gc-tuning.ts): runStandalone
   * applies them; the embedded process, which runs every service, applies only the common ones.
   */
  readonly v8Flags?: readonly string[];
  /** The service's root module (providers, controllers), given its context. */
  module(context: ServiceContext<C>): DynamicModule;
}
