import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Public } from '../../../auth/auth.decorators.js';
import { buildOpenApiDocument } from './openapi.document.js';

export const DOCS_PATH = '/api/docs';
export const DOCS_JSON_PATH = `${DOCS_PATH}/json`;

const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** The Swagger UI files the page loads; nothing else of the package is served. */
const ASSETS: ReadonlySet<string> = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
]);

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Clocktower API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

// A file of its own rather than inline, so a Content-Security-Policy without 'unsafe-inline' works.
const INIT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(DOCS_JSON_PATH)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

interface FileResponse {
  sendFile(path: string, options: { maxAge: string }): void;
}

/**
 * The OpenAPI document (`/api/docs/json`) and a browsable page over it (`/api/docs`). Public:
 * describing the API is not using it. The document is built on first request, when every
 * controller is registered, and kept (routes do not change while the gateway runs).
 */
@ApiExcludeController()
@Public()
@Controller(DOCS_PATH.slice(1))
export class ApiDocsController {
  private document: OpenAPIObject | undefined;

  constructor(
    private readonly modules: ModulesContainer,
    private readonly http: HttpAdapterHost,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get('json')
  json(): OpenAPIObject {
    this.document ??= buildOpenApiDocument(this.modules, this.http);
    return this.document;
  }

  @Get('init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  init(): string {
    return INIT;
  }

  @Get(':asset')
  asset(@Param('asset') asset: string, @Res() response: FileResponse): void {
    if (!ASSETS.has(asset)) throw new NotFoundException(`no ${DOCS_PATH}/${asset}`);
    response.sendFile(join(SWAGGER_UI, asset), { maxAge: '1d' });
  }
}
