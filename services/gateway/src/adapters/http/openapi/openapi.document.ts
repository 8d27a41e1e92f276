import type { INestApplication } from '@nestjs/common';
import { ApplicationConfig, type HttpAdapterHost, type ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { CLOCKTOWER_VERSION } from '@clocktower/platform';
import { responseSchemas } from './response.schemas.js';

const DESCRIPTION = `Clocktower's REST API: Slurm jobs, nodes and clusters as the event history
makes them — now, at any past time, and live (Server-Sent Events on /api/v1/events).

Every /api/v1 route needs \`Authorization: Bearer <api key>\`. Errors are JSON
\`{statusCode, error, message}\`; a 400 adds \`issues: [{path, problems}]\` naming each bad
parameter; a 503 (job-projection not answering) comes with \`Retry-After\`.`;

/**
 * What SwaggerModule's scanner reads of an application: its modules, HTTP adapter and config
 * (global prefix, versioning). The service platform owns the Nest application, so the gateway
 * hands the scanner the first two from inside its module (both injectable) and a default config
 * (the platform sets no global prefix and no versioning): the scan is the application's own.
 */
function scannable(modules: ModulesContainer, http: HttpAdapterHost): INestApplication {
  return {
    container: { getModules: () => modules, isGlobalModule: () => false },
    config: new ApplicationConfig(),
    getHttpAdapter: () => http.httpAdapter,
  } as unknown as INestApplication;
}

/** The OpenAPI 3 document of every HTTP route, generated from the controllers and DTO classes. */
export function buildOpenApiDocument(
  modules: ModulesContainer,
  http: HttpAdapterHost,
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Clocktower API')
    .setDescription(DESCRIPTION)
    .setVersion(CLOCKTOWER_VERSION)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'API key',
      description: 'An API key (`ct_<keyId>_<secret>`), from an admin or `npm run users`.',
    })
    .build();
  return SwaggerModule.createDocument(
    scannable(modules, http),
    { ...config, components: { ...config.components, schemas: responseSchemas() } },
    {
      operationIdFactory: (controller, method) =>
        `${controller.replace(/Controller$/, '')}_${method}`,
    },
  );
}
