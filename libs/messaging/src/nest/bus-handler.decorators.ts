import { applyDecorators, Catch, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import { Subjects, type MessageClass, type RequestClass } from '@clocktower/contracts';

/** What BusTransport reads from a handler's registration. */
export interface BusHandlerExtras {
  readonly messageClass?: MessageClass;
  /** For notification handlers: share them among replicas instead of each getting every one. */
  readonly queue?: string;
}

/**
 * Nest's default RPC filter turns every error into "Internal server error"; ours keeps the error
 * as thrown, so its `code` reaches the requester as a typed RemoteHandlerError.
 */
@Catch()
export class PassThroughRpcFilter implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Handles one command or query class. The handler receives the parsed Message<T>: input that fails
 * validation is answered with VALIDATION_FAILED naming every bad field and never reaches it.
 */
export function HandleRequest(cls: RequestClass): MethodDecorator {
  const extras: BusHandlerExtras = { messageClass: cls };
  return applyDecorators(
    MessagePattern(Subjects.of(cls), extras),
    UseFilters(new PassThroughRpcFilter()),
  );
}

/** Handles notifications on a subject (wildcards allowed), optionally parsed as one event class. */
export function OnNotification(subject: string, options: BusHandlerExtras = {}): MethodDecorator {
  return applyDecorators(
    EventPattern(subject, { ...options }) as MethodDecorator,
    UseFilters(new PassThroughRpcFilter()),
  );
}
