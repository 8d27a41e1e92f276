import {
  connect,
  headers as natsHeaders,
  ClosedConnectionError,
  DrainingConnectionError,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
} from '@nats-io/transport-node';
import type {
  BusHeaders,
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
import { BusError, BusUnavailableError } from '../../port/bus.errors.js';
import {
  fromErrorReply,
  STATUS_ERROR,
  STATUS_HEADER,
  STATUS_OK,
  toErrorReply,
} from '../../port/reply-protocol.js';
import { decodeBody, encodeBody, RawJson } from '../../port/json-body.js';
import { NatsRequestMux } from './request-mux.js';

export interface NatsMessageBusOptions extends SubjectPrefixOption {
  /** One or more `nats://host:port` URLs. */
  readonly servers: string | readonly string[];
  /** Shown in the server's connection list (`nats server report connections`). */
  readonly name?: string;
  /** How long to wait for the first connection before failing. */
  readonly connectTimeoutMs?: number;
  readonly onHandlerError?: (error: unknown, subject: string) => void;
}

function toNatsHeaders(headers: BusHeaders | undefined, extra?: BusHeaders): MsgHdrs | undefined {
  if (!headers && !extra) return undefined;
  const h = natsHeaders();
  for (const [key, value] of Object.entries({ ...headers, ...extra })) h.set(key, value);
  return h;
}

function fromNatsHeaders(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const key of h.keys()) out[key.toLowerCase()] = h.get(key);
  return out;
}

/** The distributed bus: core NATS request/reply and publish/subscribe, with queue groups. */
export class NatsMessageBus implements MessageBus {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly requests: NatsRequestMux;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly options: NatsMessageBusOptions,
    readonly subjectPrefix: string,
  ) {
    this.requests = new NatsRequestMux(nc);
  }

  /** Connects, or fails with BusUnavailableError naming the servers. */
  static async connect(options: NatsMessageBusOptions): Promise<NatsMessageBus> {
    const subjectPrefix = checkedSubjectPrefix(options.subjectPrefix);
    const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers];
    try {
      const nc = await connect({
        servers,
        ...(options.name === undefined ? {} : { name: options.name }),
        timeout: options.connectTimeoutMs ?? 5_000,
        maxReconnectAttempts: -1,
        // No stack-trace Error built for every message in case it fails (requests go through
        // NatsRequestMux, which builds none).
        noAsyncTraces: true,
      });
      return new NatsMessageBus(nc, options, subjectPrefix);
    } catch (error) {
      throw new BusUnavailableError(
        `cannot connect to NATS at ${servers.join(', ')}: ${(error as Error).message}; is nats-server running?`,
        { cause: error },
      );
    }
  }

  async request(subject: string, data: unknown, options: RequestOptions = {}): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    let reply: Msg;
    try {
      const hdrs = toNatsHeaders(options.headers);
      reply = await this.requests.request(subject, encodeBody(data), {
        timeoutMs,
        ...(hdrs ? { headers: hdrs } : {}),
      });
    } catch (error) {
      throw this.translate(error, subject);
    }
    if (reply.headers?.get(STATUS_HEADER) === STATUS_ERROR) {
      throw fromErrorReply(subject, decodeBody(reply.data));
    }
    return options.raw ? new RawJson(reply.data) : decodeBody(reply.data);
  }

  async publish(
    subject: string,
    data: unknown,
    options: { readonly headers?: BusHeaders } = {},
  ): Promise<void> {
    try {
      const hdrs = toNatsHeaders(options.headers);
      this.nc.publish(subject, encodeBody(data), hdrs ? { headers: hdrs } : undefined);
      await Promise.resolve();
    } catch (error) {
      throw this.translate(error, subject);
    }
  }

  handle(subject: string, handler: RequestHandler, options: HandlerOptions = {}): BusSubscription {
    const sub = this.nc.subscribe(subject, {
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      callback: (error, msg) => {
        if (error) return this.options.onHandlerError?.(error, subject);
        this.track(this.serve(msg, handler));
      },
    });
    return { unsubscribe: () => sub.unsubscribe() };
  }

  subscribe(
    subject: string,
    handler: NotificationHandler,
    options: HandlerOptions = {},
  ): BusSubscription {
    const sub = this.nc.subscribe(subject, {
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      callback: (error, msg) => {
        if (error) return this.options.onHandlerError?.(error, subject);
        this.track(
          (async () => {
            try {
              await handler({
                subject: msg.subject,
                data: decodeBody(msg.data),
                headers: fromNatsHeaders(msg.headers),
              });
            } catch (failure) {
              this.options.onHandlerError?.(failure, msg.subject);
            }
          })(),
        );
      },
    });
    return { unsubscribe: () => sub.unsubscribe() };
  }

  async flush(): Promise<void> {
    try {
      await this.nc.flush();
    } catch (error) {
      throw this.translate(error, '(flush)');
    }
  }

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    // Drain first: subscriptions stop taking messages, those already taken are served.
    await Promise.allSettled([...this.inFlight]);
    await this.nc.drain().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  /** The connection's state for readiness probes. */
  isConnected(): boolean {
    return !this.nc.isClosed() && !this.nc.isDraining();
  }

  private async serve(msg: Msg, handler: RequestHandler): Promise<void> {
    let body: Uint8Array;
    let status: string;
    try {
      const result: unknown = await handler({
        subject: msg.subject,
        data: decodeBody(msg.data),
        headers: fromNatsHeaders(msg.headers),
      });
      body = encodeBody(result);
      status = STATUS_OK;
    } catch (error) {
      body = encodeBody(toErrorReply(error));
      status = STATUS_ERROR;
    }
    if (msg.reply) {
      msg.respond(body, { headers: toNatsHeaders(undefined, { [STATUS_HEADER]: status })! });
    }
  }

  private translate(error: unknown, subject: string): Error {
    if (error instanceof BusError) return error;
    if (error instanceof ClosedConnectionError || error instanceof DrainingConnectionError) {
      return new BusUnavailableError(`the NATS connection is closed (${subject})`, {
        cause: error,
      });
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    const forget = (): void => void this.inFlight.delete(promise);
    promise.then(forget, forget);
  }
}
