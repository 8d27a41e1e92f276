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

/**
 * How long an idle keep-alive connection stays open. Node's default (5 s) is shorter than what
 * clients and proxies keep theirs (nginx 60 s, load balancers 60 s): one that reuses a connection
 * the server is closing at that moment gets "socket hang up" for a request never served, which
 * the jobs-api benchmark's paced load (64 sockets, some idle for seconds) met once a run. Longer
 * than theirs, the client always closes first.
 */
export const HTTP_KEEP_ALIVE_MS = 65_000;

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
    const server = http.getHttpServer() as HttpServer;
    server.keepAliveTimeout = HTTP_KEEP_ALIVE_MS;
    server.headersTimeout = HTTP_KEEP_ALIVE_MS + 1_000;
    await http.listen(options.config.port, options.config.host);
    const address = server.address();
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
