import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import {
  Module,
  type INestApplication,
  type INestMicroservice,
  type LoggerService,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { BusTransport, type MessageBus } from '@clocktower/messaging';
import type { EventStore } from '@clocktower/event-store';
import { Readiness } from '../health/readiness.js';
import { healthBusController } from '../health/health.bus.controller.js';
import { healthHttpController } from '../health/health.http.controller.js';
import type { PlatformConfig } from '../platform.config.js';
import {
  SERVICE_CONTEXT,
  type ServiceContext,
  type ServiceDefinition,
} from './service-definition.js';

export const CLOCKTOWER_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

export interface StartOptions<C extends PlatformConfig> {
  readonly config: C;
  readonly bus: MessageBus;
  readonly store?: EventStore;
  readonly logger: LoggerService;
  /** Serve HTTP (health, and the service's own routes) on config.host:config.port. */
  readonly http: boolean;
}

export interface RunningService {
  readonly name: string;
  readonly readiness: Readiness;
  /** The HTTP address when serving HTTP. */
  readonly url: string | undefined;
  close(): Promise<void>;
}

/** Builds a service's Nest application on the given adapters and starts it. */
export async function startService<C extends PlatformConfig>(
  definition: ServiceDefinition<C>,
  options: StartOptions<C>,
): Promise<RunningService> {
  const readiness = new Readiness(definition.name, CLOCKTOWER_VERSION).add({
    name: 'message-bus',
    check: async () => {
      await options.bus.flush();
      return options.config.bus;
    },
  });
  const store = options.store;
  if (store) {
    readiness.add({
      name: 'event-store',
      check: async () => `${options.config.store}, head position ${await store.headPosition()}`,
    });
  }
  const context: ServiceContext<C> = {
    config: options.config,
    bus: options.bus,
    store,
    readiness,
    logger: options.logger,
  };
  const serviceModule = definition.module(context);

  @Module({
    imports: [serviceModule],
    providers: [{ provide: SERVICE_CONTEXT, useValue: context }],
    controllers: [
      healthBusController(readiness),
      ...(options.http ? [healthHttpController(readiness)] : []),
    ],
  })
  class ServiceRootModule {}

  const transport = new BusTransport(options.bus, { service: definition.name });
  let app: INestApplication | INestMicroservice;
  let url: string | undefined;
  if (options.http) {
    const http = await NestFactory.create(ServiceRootModule, new ExpressAdapter(), {
      logger: options.logger,
      abortOnError: false,
    });
    // Before init registers Nest's default parser: the one set here is used instead.
    if (definition.jsonBodyLimit !== undefined)
      (http as NestExpressApplication).useBodyParser('json', { limit: definition.jsonBodyLimit });
    http.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
    await http.startAllMicroservices();
    await http.listen(options.config.port, options.config.host);
    const address = (http.getHttpServer() as HttpServer).address();
    url = `http://${options.config.host}:${address !== null && typeof address === 'object' ? address.port : options.config.port}`;
    app = http;
  } else {
    const micro = await NestFactory.createMicroservice(ServiceRootModule, {
      strategy: transport,
      logger: options.logger,
      abortOnError: false,
    });
    await micro.listen();
    app = micro;
  }
  options.logger.log({ msg: 'service started', service: definition.name, ...(url ? { url } : {}) });
  return {
    name: definition.name,
    readiness,
    url,
    close: () => app.close(),
  };
}
