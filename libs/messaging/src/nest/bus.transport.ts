import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom, defaultIfEmpty } from 'rxjs';
import { MessageRegistry, Subjects } from '@clocktower/contracts';
import type { BusMessage, BusSubscription, MessageBus } from '../port/message-bus.port.js';
import { envelopeOf } from '../port/envelope-headers.js';
import type { BusHandlerExtras } from './bus-handler.decorators.js';

export interface BusTransportOptions {
  /** The service's name: its request handlers join this queue group, so replicas share the load. */
  readonly service: string;
  readonly registry?: MessageRegistry;
}

/**
 * A NestJS transport over the MessageBus port: the same @HandleRequest / @OnNotification handlers
 * run over NATS (distributed) or the in-process bus (embedded). Validation happens here, before a
 * handler sees anything.
 */
export class BusTransport extends Server implements CustomTransportStrategy {
  private readonly subscriptions: BusSubscription[] = [];
  private readonly registry: MessageRegistry;
  protected override readonly logger = new Logger(BusTransport.name);

  constructor(
    private readonly bus: MessageBus,
    private readonly options: BusTransportOptions,
  ) {
    super();
    this.registry = options.registry ?? new MessageRegistry();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.subscribeAll();
    // Listening means reachable: only report ready once the server has every subscription.
    this.bus.flush().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  private subscribeAll(): void {
    for (const [pattern, handler] of this.messageHandlers) {
      // Decorators name subjects under the default prefix: moved onto this installation's.
      const subject = Subjects.rebase(pattern, this.bus.subjectPrefix);
      const extras = (handler.extras ?? {}) as BusHandlerExtras;
      if (extras.messageClass) this.registry.register(extras.messageClass);
      if (handler.isEventHandler) {
        this.subscriptions.push(
          this.bus.subscribe(
            subject,
            (message) => this.deliver(subject, handler, extras, message),
            {
              ...(extras.queue === undefined ? {} : { queue: extras.queue }),
            },
          ),
        );
      } else {
        this.subscriptions.push(
          this.bus.handle(subject, (message) => this.answer(handler, extras, message), {
            queue: Subjects.queueGroup(this.options.service),
          }),
        );
      }
    }
  }

  close(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }

  on(): void {
    // The bus reports its own status; nothing to subscribe to here.
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private parse(extras: BusHandlerExtras, message: BusMessage): unknown {
    // Throws ValidationFailedError (code VALIDATION_FAILED, every bad field) before the handler.
    return extras.messageClass
      ? this.registry.parseOf(extras.messageClass, envelopeOf(message), { rejectUnknown: true })
      : envelopeOf(message);
  }

  private async answer(
    handler: MessageHandler,
    extras: BusHandlerExtras,
    message: BusMessage,
  ): Promise<unknown> {
    const parsed = this.parse(extras, message);
    const result$ = this.transformToObservable(await handler(parsed));
    return lastValueFrom(result$.pipe(defaultIfEmpty(undefined)));
  }

  private async deliver(
    subject: string,
    handler: MessageHandler,
    extras: BusHandlerExtras,
    message: BusMessage,
  ): Promise<void> {
    try {
      const parsed = this.parse(extras, message);
      const result$ = this.transformToObservable(await handler(parsed));
      await lastValueFrom(result$.pipe(defaultIfEmpty(undefined)));
    } catch (error) {
      // A consumer never lets an exception escape: the notification is dropped with its reason.
      this.logger.warn({
        msg: 'notification handler failed; message dropped',
        subject,
        error: (error as Error).message,
      });
    }
  }
}
