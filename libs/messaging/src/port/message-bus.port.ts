/** Headers travel with every message; keys are lowercase. */
export type BusHeaders = Readonly<Record<string, string>>;

export interface BusMessage {
  readonly subject: string;
  /** The decoded JSON body. */
  readonly data: unknown;
  readonly headers: BusHeaders;
}

export type RequestHandler = (message: BusMessage) => unknown;
export type NotificationHandler = (message: BusMessage) => void | Promise<void>;

export interface RequestOptions {
  readonly headers?: BusHeaders;
  /** Default DEFAULT_REQUEST_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /**
   * Resolve with the reply's JSON unparsed, as a RawJson, for a caller that only passes it on.
   * An error reply is still decoded and thrown as RemoteHandlerError.
   */
  readonly raw?: boolean;
}

export interface HandlerOptions {
  /** Handlers in the same queue group share the messages: each message goes to one of them. */
  readonly queue?: string;
}

export interface BusSubscription {
  unsubscribe(): void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/** An adapter's option: the installation's subject prefix (see MessageBus.subjectPrefix). */
export interface SubjectPrefixOption {
  /** Default DEFAULT_SUBJECT_PREFIX; must be one NATS subject token (SUBJECT_TOKEN). */
  readonly subjectPrefix?: string;
}

/**
 * The message bus port: request/reply for commands and queries, fire-and-forget notifications.
 * Adapters: NATS (distributed) and in-process (embedded mode); both pass test/message-bus.contract.ts.
 *
 * Semantics every adapter keeps:
 * - bodies are JSON: what a handler receives is what JSON.parse(JSON.stringify(sent)) gives; a
 *   RawJson is sent as the JSON text it holds, and a request with `raw` gets its reply as RawJson;
 * - a request with no handler fails at once with NoResponderError, one with a slow handler with
 *   RequestTimeoutError; a handler's error comes back as RemoteHandlerError with its code;
 * - subjects may hold wildcards when subscribing (`*` one token, `>` the rest), as in NATS.
 */
export interface MessageBus {
  /**
   * The installation's first subject token (CLOCKTOWER_SUBJECT_PREFIX; DEFAULT_SUBJECT_PREFIX
   * unless configured): BusClient and BusTransport build every subject with it, so installations
   * sharing one NATS stay apart. The adapters themselves send on the subjects they are given.
   */
  readonly subjectPrefix: string;
  request(subject: string, data: unknown, options?: RequestOptions): Promise<unknown>;
  publish(
    subject: string,
    data: unknown,
    options?: { readonly headers?: BusHeaders },
  ): Promise<void>;
  handle(subject: string, handler: RequestHandler, options?: HandlerOptions): BusSubscription;
  subscribe(
    subject: string,
    handler: NotificationHandler,
    options?: HandlerOptions,
  ): BusSubscription;
  /**
   * Resolves once every handler and subscription made so far is active at the server: until then
   * a request from another connection may find no responder.
   */
  flush(): Promise<void>;
  /** Lets handlers in flight finish, then disconnects. */
  close(): Promise<void>;
}
