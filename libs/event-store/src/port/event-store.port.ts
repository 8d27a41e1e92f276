import type { Message } from '@clocktower/contracts';

/**
 * What the stream must look like for an append to go through: `no_stream` (it must not exist),
 * `stream_exists`, `any`, or the exact revision of its last event (first event = revision 0).
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export const ExpectedRevision = {
  NoStream: 'no_stream',
  StreamExists: 'stream_exists',
  Any: 'any',
} as const;

/** An event as stored: the message envelope plus where it sits. */
export interface RecordedEvent extends Message<Record<string, unknown>> {
  readonly stream: string;
  /** Position in its stream, from 0. */
  readonly revision: number;
  /** Position in the whole store: strictly increasing in append order, never reused. */
  readonly position: bigint;
  /** When the store wrote it (ISO 8601). */
  readonly recordedAt: string;
  /**
   * The data's JSON text as the store holds it, when the adapter has it (SQLite): a reader that
   * stores the data again may keep this text rather than stringify `data` back. Not an own
   * property of the event (never serialized or compared with it); absent from other adapters.
   */
  readonly dataJson?: string;
}

export interface AppendResult {
  /** The revision of the stream's last event: pass it as the next append's expected revision. */
  readonly nextExpectedRevision: number;
  /** The global position of the last event appended. */
  readonly position: bigint;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards defaults to 0, backwards to the last event. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events after this position. Omitted: from the very first event. */
  readonly fromPosition?: bigint;
  /** Only streams of this category (the part of the stream name before the first `-`). */
  readonly category?: string;
  readonly maxCount?: number;
}

export type EventHandler = (event: RecordedEvent) => void | Promise<void>;

export interface SubscribeOptions extends Omit<ReadAllOptions, 'maxCount'> {
  /** Called once, when the subscription first reaches the end of history and goes live. */
  readonly onCaughtUp?: () => void;
}

export interface Subscription {
  /** Stops delivery; resolves once no handler call is running. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves on stop(), rejects with the handler's error. */
  readonly done: Promise<void>;
}

/**
 * The event store port. Every adapter (in-memory, SQLite, EventStoreDB) passes the one contract
 * suite in libs/event-store/test. Adapters translate vendor errors into the errors of
 * event-store.errors.ts.
 */
export interface EventStore {
  /**
   * Appends atomically. Fails with WrongExpectedRevisionError and writes nothing when the stream
   * is not as expected. An append whose event ids are already stored in that stream, in that
   * order, is a no-op that returns the original result (a retried append is safe).
   */
  append(stream: string, events: readonly Message[], options: AppendOptions): Promise<AppendResult>;
  /** A stream's events; an absent stream reads as empty. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Every event in global order, optionally one category's. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * Catch-up subscription: history after `fromPosition`, then live events, in order, each once,
   * with no gap at the switch. The handler is awaited before the next event is delivered.
   */
  subscribeToAll(handler: EventHandler, options?: SubscribeOptions): Subscription;
  /** Position of the last event in the store (0n when empty), to measure a subscriber's lag. */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}
