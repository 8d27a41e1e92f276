import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Public } from '../../../auth/auth.decorators.js';
import { DashboardFiles, fileWithin, type DashboardFile } from './dashboard-files.js';
import { ASSETS_PREFIX, DASHBOARD_ROUTES } from './dashboard.routes.js';

/** How the built dashboard is made, for the page that says it is missing. */
export const DASHBOARD_BUILD_HINT = 'npm run build';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the hashed assets of the current build: always revalidated. */
const REVALIDATE = 'no-cache';

interface PathRequest extends IncomingMessage {
  readonly path: string;
}

/**
 * The web dashboard: its pages (index.html, for every path of its router) and its built assets.
 * Public: the page itself holds no data; it asks for an API key and sends it with each API call.
 * Assets are sent compressed as the client accepts (brotli, gzip) and cached for a year, their
 * names carrying a content hash; index.html is revalidated on every visit, so a new build shows
 * at once. Nothing here compresses the API or the change stream.
 */
@ApiExcludeController()
@Public()
@Controller()
export class DashboardController {
  constructor(@Inject(DashboardFiles) private readonly files: DashboardFiles) {}

  @Get([...DASHBOARD_ROUTES])
  async page(@Req() request: PathRequest, @Res() response: ServerResponse): Promise<void> {
    const file = await this.files.read(this.files.indexFile, request.headers['accept-encoding']);
    if (!file) return notBuilt(request, response, this.files.dir);
    send(request, response, file, REVALIDATE);
  }

  @Get('assets/*path')
  async asset(@Req() request: PathRequest, @Res() response: ServerResponse): Promise<void> {
    const path = assetPath(this.files.assetsDir, request.path);
    const file =
      path === undefined
        ? undefined
        : await this.files.read(path, request.headers['accept-encoding']);
    if (!file) throw new NotFoundException(`no dashboard asset ${request.path}`);
    send(request, response, file, IMMUTABLE);
  }
}

function assetPath(assetsDir: string, requestPath: string): string | undefined {
  let name: string;
  try {
    name = decodeURIComponent(requestPath.slice(ASSETS_PREFIX.length));
  } catch {
    return undefined;
  }
  return fileWithin(assetsDir, name);
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  file: DashboardFile,
  cacheControl: string,
): void {
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('ETag', file.etag);
  if (file.negotiated) response.setHeader('Vary', 'Accept-Encoding');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (request.headers['if-none-match'] === file.etag) {
    response.statusCode = 304;
    response.end();
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', file.contentType);
  if (file.encoding !== 'identity') response.setHeader('Content-Encoding', file.encoding);
  response.setHeader('Content-Length', file.body.length);
  response.end(request.method === 'HEAD' ? undefined : file.body);
}

/** No build in place: say so, and how to make one, to a browser (HTML) or a program (JSON). */
function notBuilt(request: IncomingMessage, response: ServerResponse, dir: string): void {
  const message = `The Clocktower dashboard is not built (no ${dir}/index.html). Build it with \`${DASHBOARD_BUILD_HINT}\` at the repository root (the front-end alone: \`node services/gateway/web/build.mjs\`); the REST API under /api/v1 works without it (see /api/docs).`;
  response.statusCode = 503;
  response.setHeader('Cache-Control', 'no-store');
  if ((request.headers.accept ?? '').includes('text/html')) {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Clocktower: dashboard not built</title></head>\n<body><h1>Dashboard not built</h1><p>${escapeHtml(message)}</p></body></html>\n`,
    );
    return;
  }
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.end(JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message }));
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
