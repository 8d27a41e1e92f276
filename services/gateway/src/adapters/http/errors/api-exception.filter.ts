import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { ValidationFailedError, type FieldIssue } from '@clocktower/contracts';
import {
  BusUnavailableError,
  NoResponderError,
  RemoteHandlerError,
  RequestTimeoutError,
} from '@clocktower/messaging';

/** Seconds a client should wait before retrying when job-projection does not answer. */
export const RETRY_AFTER_SECONDS = 2;

export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly issues?: readonly FieldIssue[];
}

interface JsonResponse {
  readonly headersSent: boolean;
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  end(): void;
}

/** The projection's names for the API's parameters, where they differ. */
const API_NAME_OF: Readonly<Record<string, string>> = { nameContains: 'name' };

/** A remote validation issue's path (`data.nameContains`) in the API's terms (`name`). */
function apiIssue(issue: FieldIssue): FieldIssue {
  const path = issue.path.replace(/^data\./, '');
  return { path: API_NAME_OF[path] ?? path, problems: issue.problems };
}

function remoteIssues(error: RemoteHandlerError): FieldIssue[] {
  const details = error.details as { issues?: unknown } | undefined;
  return Array.isArray(details?.issues) ? (details.issues as FieldIssue[]).map(apiIssue) : [];
}

function body(status: number, message: string, issues?: readonly FieldIssue[]): ErrorBody {
  const error = (HttpStatus[status] ?? 'Error')
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  return issues
    ? { statusCode: status, error, message, issues }
    : { statusCode: status, error, message };
}

/** Nest's HttpException carries a string, or `{message}` with a string or a list of them. */
function httpMessage(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return fallback;
}

/** What an exception means for the API's caller: a status and a JSON body that says why. */
export function errorReplyOf(exception: unknown): {
  status: number;
  body: ErrorBody;
  retry?: true;
} {
  if (exception instanceof ValidationFailedError) {
    return { status: 400, body: body(400, exception.message, exception.issues) };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    return { status, body: body(status, httpMessage(response, exception.message)) };
  }
  if (
    exception instanceof NoResponderError ||
    exception instanceof RequestTimeoutError ||
    exception instanceof BusUnavailableError
  ) {
    return {
      status: 503,
      body: body(503, `job-projection is not answering: ${exception.message}`),
      retry: true,
    };
  }
  if (exception instanceof RemoteHandlerError) {
    if (exception.code === 'VALIDATION_FAILED' || exception.code === 'INVALID_CURSOR') {
      const issues = remoteIssues(exception);
      return {
        status: 400,
        body: body(
          400,
          exception.message,
          issues.length > 0 || exception.code !== 'INVALID_CURSOR'
            ? issues
            : [{ path: 'cursor', problems: [exception.message] }],
        ),
      };
    }
    if (/(^|_)(NOT_FOUND|UNKNOWN)(_|$)/.test(exception.code)) {
      return { status: 404, body: body(404, exception.message) };
    }
    return { status: 502, body: body(502, `job-projection failed: ${exception.message}`) };
  }
  return { status: 500, body: body(500, 'internal error: the gateway logged the details') };
}

/**
 * Every HTTP error as JSON `{statusCode, error, message, issues?}`: bad parameters (400 naming each
 * field), unknown routes (404), and job-projection not answering (503 with Retry-After, never a
 * hang). Bus handlers of the gateway get their errors back untouched, for the bus to carry.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('gateway-http');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | undefined {
    if (host.getType() !== 'http') return throwError(() => exception);
    const response = host.switchToHttp().getResponse<JsonResponse>();
    const reply = errorReplyOf(exception);
    if (reply.status >= 500) {
      this.logger.warn({
        msg: 'request failed',
        status: reply.status,
        error: exception instanceof Error ? exception.message : String(exception),
        ...(reply.status === 500 && exception instanceof Error ? { stack: exception.stack } : {}),
      });
    }
    // An event stream that already started has its own way of reporting (an `error` event).
    if (response.headersSent) {
      response.end();
      return undefined;
    }
    if (reply.retry) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(reply.status).json(reply.body);
    return undefined;
  }
}
