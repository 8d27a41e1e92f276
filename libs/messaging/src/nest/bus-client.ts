import {
  createMessage,
  Subjects,
  type CreateMessageOptions,
  type Message,
  type MessageClass,
  type RequestClass,
} from '@clocktower/contracts';
import type { MessageBus } from '../port/message-bus.port.js';
import { envelopeHeaders } from '../port/envelope-headers.js';
import type { RawJson } from '../port/json-body.js';

export interface SendOptions extends CreateMessageOptions {
  readonly timeoutMs?: number;
}

/**
 * Typed sending: a command or query class and its data in, the handler's reply out. Subjects come
 * from the class (Subjects.of) under the bus's prefix, the envelope is built here and travels in
 * headers.
 */
export class BusClient {
  constructor(readonly bus: MessageBus) {}

  async request<T extends object, R>(
    cls: RequestClass<T, R>,
    data: T,
    options: SendOptions = {},
  ): Promise<R> {
    const message = createMessage(cls, data, options);
    return (await this.bus.request(Subjects.of(cls, this.bus.subjectPrefix), message.data, {
      headers: envelopeHeaders(message),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    })) as R;
  }

  /**
   * As `request`, but the reply comes back as its JSON text, unparsed (RawJson), for a caller that
   * passes it on as it is. `R` is what the text holds.
   */
  async requestJson<T extends object, R>(
    cls: RequestClass<T, R>,
    data: T,
    options: SendOptions = {},
  ): Promise<RawJson> {
    const message = createMessage(cls, data, options);
    return (await this.bus.request(Subjects.of(cls, this.bus.subjectPrefix), message.data, {
      headers: envelopeHeaders(message),
      raw: true,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    })) as RawJson;
  }

  /** Tells whoever listens that an event was stored (notifications are not the source of truth). */
  async notify(category: string, message: Message): Promise<void> {
    await this.bus.publish(
      Subjects.event(category, message.type, this.bus.subjectPrefix),
      message.data,
      {
        headers: envelopeHeaders(message),
      },
    );
  }

  /** For events built elsewhere, e.g. by a decider. */
  static envelope<T extends object>(
    cls: MessageClass<T>,
    data: T,
    options?: CreateMessageOptions,
  ): Message<T> {
    return createMessage(cls, data, options);
  }
}
