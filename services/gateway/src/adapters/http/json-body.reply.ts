import type { ServerResponse } from 'node:http';

/**
 * Sends a 200 with a body that is JSON already (a page passed through from job-projection),
 * bypassing Express's `res.json`/`res.send`: they would stringify it again and hash it for an
 * ETag, which for a page of tens of kilobytes of live data costs more than the rest of the request
 * and would rarely match. Errors never come here: they are thrown, for ApiExceptionFilter.
 */
export function sendJsonBody(
  response: ServerResponse,
  body: Uint8Array | readonly Uint8Array[],
): void {
  const pieces = body instanceof Uint8Array ? [body] : body;
  response.statusCode = 200;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader(
    'Content-Length',
    pieces.reduce((n, piece) => n + piece.length, 0),
  );
  // Corked: the headers and every piece leave in one write, as one Buffer would.
  response.cork();
  for (let i = 0; i < pieces.length - 1; i++) response.write(pieces[i]);
  response.end(pieces.at(-1));
  response.uncork();
}
