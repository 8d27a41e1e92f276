import type {
  BusHeaders,
  BusMessage,
  BusSubscription,
  HandlerOptions,
  MessageBus,
  NotificationHandler,
  RequestHandler,
  RequestOptions,
  SubjectPrefixOption,
} from '../../port/message-bus.port.js';
import { checkedSubjectPrefix } from '../../port/subject-prefix.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../port/message-bus.port.js';
import {
  BusUnavailableError,
  NoResponderError,
  RequestTimeoutError,
} from '../../port/bus.errors.js';
import { fromErrorReply, toErrorReply } from '../../port/reply-protocol.js';
import { subjectMatcher } from '../../port/subject-match.js';
import { jsonCopy, rawCopy } from '../../port/json-body.js';

interface Registration<H> {
  readonly pattern: string;
  readonly matches: (subject: string) => boolean;
  readonly handler: H;
  readonly group: string;
}

export interface InProcessMessageBusOptions extends SubjectPrefixOption {
  /** Where a notification handler's failure is reported (it never reaches the publisher). */
  readonly onHandlerError?: (error: unknown, subject: string) => void;
}

/**
 * The embedded mode's bus: the NATS semantics (JSON bodies, wildcards, queue groups, no-responder
 * and timeout errors, typed remote errors) without a network. Delivery is always asynchronous, so a
 * publisher never runs a subscriber's code on its own stack, as over a real wire.
 */
export class InProcessMessageBus implements MessageBus {
  private readonly responders = new Set<Registration<RequestHandler>>();
  private readonly listeners = new Set<Registration<NotificationHandler>>();
  private readonly turns = new Map<string, number>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;
  private nextId = 0;

  readonly subjectPrefix: string;

  constructor(private readonly options: InProcessMessageBusOptions = {}) {
    this.subjectPrefix = checkedSubjectPrefix(options.subjectPrefix);
  }

  async request(subject: string, data: unknown, options: RequestOptions = {}): Promise<unknown> {
    this.assertOpen();
    const [responder] = this.pick(this.responders, subject);
    if (!responder) throw new NoResponderError(subject);
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const message: BusMessage = { subject, data: jsonCopy(data), headers: { ...options.headers } };
    const reply = this.track(
      (async () => {
        await Promise.resolve();
        const result: unknown = await responder.handler(message);
        return options.raw ? rawCopy(result) : jsonCopy(result);
      })(),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RequestTimeoutError(subject, timeoutMs)), timeoutMs);
    });
    try {
      return await Promise.race([reply, timeout]);
    } catch (error) {
      if (error instanceof RequestTimeoutError) throw error;
      throw fromErrorReply(subject, toErrorReply(error));
    } finally {
      clearTimeout(timer);
    }
  }

  async publish(
    subject: string,
    data: unknown,
    options: { readonly headers?: BusHeaders } = {},
  ): Promise<void> {
    this.assertOpen();
    const message: BusMessage = { subject, data: jsonCopy(data), headers: { ...options.headers } };
    for (const listener of this.pick(this.listeners, subject)) {
      void this.track(
        (async () => {
          await Promise.resolve();
          try {
            await listener.handler(message);
          } catch (error) {
            this.options.onHandlerError?.(error, subject);
          }
        })(),
      );
    }
    await Promise.resolve();
  }

  handle(subject: string, handler: RequestHandler, options: HandlerOptions = {}): BusSubscription {
    return this.register(this.responders, subject, handler, options);
  }

  subscribe(
    subject: string,
    handler: NotificationHandler,
    options: HandlerOptions = {},
  ): BusSubscription {
    return this.register(this.listeners, subject, handler, options);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.responders.clear();
    this.listeners.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private register<H>(
    set: Set<Registration<H>>,
    pattern: string,
    handler: H,
    options: HandlerOptions,
  ): BusSubscription {
    this.assertOpen();
    // A queue group is named by subject and queue, as in NATS; a plain subscriber is its own group.
    const group =
      options.queue === undefined ? `#${this.nextId++}` : `${pattern}\u0000${options.queue}`;
    const registration: Registration<H> = {
      pattern,
      matches: subjectMatcher(pattern),
      handler,
      group,
    };
    set.add(registration);
    return { unsubscribe: () => void set.delete(registration) };
  }

  /** One registration per group whose pattern matches, taking turns within a queue group. */
  private pick<H>(set: Set<Registration<H>>, subject: string): Registration<H>[] {
    const groups = new Map<string, Registration<H>[]>();
    for (const registration of set) {
      if (!registration.matches(subject)) continue;
      const members = groups.get(registration.group) ?? [];
      members.push(registration);
      groups.set(registration.group, members);
    }
    const chosen: Registration<H>[] = [];
    for (const [group, members] of groups) {
      const turn = this.turns.get(group) ?? 0;
      this.turns.set(group, turn + 1);
      chosen.push(members[turn % members.length]!);
    }
    return chosen;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const forget = (): void => void this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  private assertOpen(): void {
    if (this.closed) throw new BusUnavailableError('the in-process bus is closed');
  }
}
