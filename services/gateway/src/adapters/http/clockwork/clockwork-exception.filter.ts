import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { JobUserPropsTooLargeError } from '../../../domain/job-user-props.decider.js';
import { errorReplyOf, RETRY_AFTER_SECONDS } from '../errors/api-exception.filter.js';
import { ClockworkReply } from './clockwork-reply.js';

interface JsonResponse {
  readonly headersSent: boolean;
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  end(): void;
}

/**
 * Errors of the Clockwork routes in Clockwork's shape: the status and a bare JSON string
 * (`"Missing argument job_id."`), never the REST API's `{statusCode, error, message}`. What is not
 * a ClockworkReply gets the REST API's status for it (errorReplyOf: 503 when job-projection does
 * not answer, …) with its message as the string.
 */
@Catch()
export class ClockworkExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('gateway-clockwork');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    let status: number;
    let body: string;
    let retry = false;
    if (exception instanceof ClockworkReply) {
      ({ status, body } = exception);
      retry = status === 503;
    } else if (exception instanceof JobUserPropsTooLargeError) {
      // Clockwork answers this with a 500; it is the client's request that is too large.
      status = 400;
      body = exception.message;
    } else {
      const reply = errorReplyOf(exception);
      status = reply.status;
      body = reply.body.message;
      retry = reply.retry === true;
    }
    if (status >= 500) {
      this.logger.warn({
        msg: 'Clockwork request failed',
        status,
        error: exception instanceof Error ? exception.message : String(exception),
        ...(status === 500 && exception instanceof Error ? { stack: exception.stack } : {}),
      });
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    if (retry) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(status).json(body);
  }
}
