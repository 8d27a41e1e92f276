import type { ServerResponse } from 'node:http';

/**
 * Sends a 200 with a body that is JSON already (a page passed through from job-projection),
 * bypassing Express's `res.json`/`res.send`: they would stringify it again and hash it for an
 * ETag, which for a page of tens of kilobytes of live data costs more than the rest of the request
 * and would rarely match. Errors never come here: they are thrown, for ApiExceptionFilter.
 */
export function sendJsonBody(response: ServerResponse, body: Uint8Array): void {
  response.statusCode = 200;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', body.length);
  response.end(body);
}
