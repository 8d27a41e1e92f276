import { RemoteHandlerError } from './bus.errors.js';

/** Header that says whether a reply body is a result or an error. */
export const STATUS_HEADER = 'ct-status';
export const STATUS_OK = 'ok';
export const STATUS_ERROR = 'error';

export interface ErrorReply {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

/**
 * What a handler's failure looks like on the wire. Errors with a string `code` keep it (and their
 * `issues`, for validation errors); anything else is HANDLER_FAILED, so internals stay inside.
 */
export function toErrorReply(error: unknown): ErrorReply {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    const details =
      'issues' in error ? { issues: error.issues } : 'details' in error ? error.details : undefined;
    return details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details };
  }
  return {
    code: 'HANDLER_FAILED',
    message: error instanceof Error ? error.message : String(error),
  };
}

export function fromErrorReply(subject: string, body: unknown): RemoteHandlerError {
  const reply = (typeof body === 'object' && body !== null ? body : {}) as Partial<ErrorReply>;
  return new RemoteHandlerError(
    subject,
    typeof reply.code === 'string' ? reply.code : 'HANDLER_FAILED',
    typeof reply.message === 'string' ? reply.message : 'the handler failed without a message',
    reply.details,
  );
}
