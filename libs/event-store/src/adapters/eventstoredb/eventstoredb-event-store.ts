import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamDeletedError,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type ReadRevision,
  type StreamingRead,
} from '@eventstore/db-client';
import { categoryOf, type Message } from '@clocktower/contracts';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../../port/event-store.port.js';
import {
  checkExpectedRevision,
  idempotentResult,
  validateAppend,
} from '../../port/expected-revision.js';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../port/event-store.errors.js';
import { decodePosition, encodePosition } from './eventstoredb-position.js';
import {
  positionOf,
  toEventData,
  toRecordedEvent,
  toStoredRef,
  type StoredRef,
} from './eventstoredb-event-data.js';
import {
  UnreadableEventError,
  isStreamNotFound,
  redactConnectionString,
  translateAppendError,
  translateConnectionError,
} from './eventstoredb-errors.js';
import {
  esdbCatchUpSubscription,
  type EsdbSubscriptionSource,
} from './eventstoredb-subscription.js';

export interface EventStoreDbEventStoreOptions {
  /**
   * A client to use instead of one made from the connection string (custom TLS or credentials, or
   * a stand-in in tests); the connection string then only names the server in messages. close()
   * disposes it.
   */
  readonly client?: EventStoreDBClient;
  /**
   * How many of a stream's last events an append reads first, to recognise a retry and to refuse
   * an append that repeats some of them (the append's own size, when larger).
   */
  readonly idempotencyWindow?: number;
}

export const DEFAULT_IDEMPOTENCY_WINDOW = 32;

/** A stream's last events, oldest first, and the revision of its last event (-1: no stream). */
interface StreamTail {
  readonly events: readonly StoredRef[];
  readonly current: number;
}

type CategoryScope = Pick<ReadAllOptions, 'fromPosition' | 'category'>;

function isSystemEvent(event: AllStreamRecordedEvent): boolean {
  // `$` streams hold EventStoreDB's own records (projections, stats, metadata, links); a `$` type in
  // a user stream is a tombstone or another marker the server wrote, never a Clocktower event.
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

/** The port's category rule (the part before the first `-`), as a stream-name prefix EventStoreDB can filter on. */
function inCategory(stream: string, category: string): boolean {
  return stream.startsWith(`${category}-`) && categoryOf(stream) === category;
}

function fromPositionOf(after: bigint): ReturnType<typeof decodePosition> | typeof START {
  return after > 0n ? decodePosition(after) : START;
}

/**
 * The distributed store: EventStoreDB through its gRPC client. Positions are EventStoreDB's $all
 * positions packed into one bigint (eventstoredb-position.ts); each event's data is its JSON, the
 * envelope is in its metadata (eventstoredb-event-data.ts).
 *
 * Idempotency: EventStoreDB recognises a repeated append by event ids only for some expected
 * revisions and only while its cache holds them, and answers a repeat without the original
 * position on older servers. So every append first reads the stream's last events (one small
 * backwards read): a first event id found there (or, for an exact expected revision, at the
 * revision where that retry would have landed) makes the append a retry that returns the original
 * result; another of its ids found there refuses it with DuplicateEventIdError. Unlike the SQLite
 * store, ids are not checked across streams, nor further back than that window.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  /** The connection string without its password: what messages name. */
  readonly url: string;
  private readonly idempotencyWindow: number;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  /** Connects lazily: an unreachable server shows as EventStoreUnavailableError on first use. */
  constructor(connectionString: string, options: EventStoreDbEventStoreOptions = {}) {
    this.url = redactConnectionString(connectionString);
    this.idempotencyWindow = Math.max(
      1,
      Math.floor(options.idempotencyWindow ?? DEFAULT_IDEMPOTENCY_WINDOW),
    );
    try {
      this.client = options.client ?? EventStoreDBClient.connectionString(connectionString);
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error))
        .split(connectionString)
        .join(this.url);
      throw new EventStoreUnavailableError(
        `EventStoreDB connection string ${this.url} is not valid (${reason}); expected e.g. esdb://127.0.0.1:2113?tls=false`,
        { cause: error },
      );
    }
  }

  /**
   * Connects and checks the server at once (a read of $all, which subscriptions need anyway), so a
   * wrong address, a stopped server or missing rights fail at start with EventStoreUnavailableError.
   */
  static async connect(
    connectionString: string,
    options: EventStoreDbEventStoreOptions = {},
  ): Promise<EventStoreDbEventStore> {
    const store = new EventStoreDbEventStore(connectionString, options);
    const probe = store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    try {
      for await (const _ of store.drain(probe)) {
        // Reading at most one event is the whole check.
      }
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  async append(
    stream: string,
    events: readonly Message[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(stream, events);
    const expected = options.expectedRevision;
    try {
      const tail = await this.readTail(stream, Math.max(this.idempotencyWindow, events.length));
      const retried = await this.retriedResult(stream, events, expected, tail);
      if (retried) return retried;
      const esdbExpected = toEsdbExpectedRevision(stream, expected, tail.current);
      const repeated = events.find((event) =>
        tail.events.some((stored) => stored.eventId === event.eventId),
      );
      if (repeated) {
        // As the other stores: a stream that is not as expected is the first thing to report.
        checkExpectedRevision(stream, expected, tail.current);
        throw new DuplicateEventIdError(stream, repeated.eventId);
      }
      const result = await this.client.appendToStream(stream, events.map(toEventData), {
        expectedRevision: esdbExpected,
      });
      return await this.appendResult(stream, expected, events.length, result, tail.current);
    } catch (error) {
      throw translateAppendError(error, stream, expected, this.url);
    }
  }

  async *readStream(
    stream: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const maxCount = Math.ceil(options.maxCount ?? Number.POSITIVE_INFINITY);
    if (maxCount <= 0) return;
    let fromRevision: ReadRevision = backwards ? END : START;
    if (options.fromRevision !== undefined) {
      const from = backwards ? Math.floor(options.fromRevision) : Math.ceil(options.fromRevision);
      if (from >= 0) fromRevision = BigInt(from);
      else if (backwards) return;
    }
    const read = this.client.readStream(stream, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision,
      ...(Number.isFinite(maxCount) ? { maxCount: BigInt(maxCount) } : {}),
    });
    for await (const resolved of this.drain(read, { absentIsEmpty: true })) {
      if (resolved.event) yield toRecordedEvent(resolved.event);
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    return this.readAllFrom(options);
  }

  private async *readAllFrom(options: ReadAllOptions): AsyncGenerator<RecordedEvent> {
    let left = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (left <= 0) return;
    // The v6 client filters $all on the server only for subscriptions, so reads filter here.
    const read = this.client.readAll({ fromPosition: fromPositionOf(options.fromPosition ?? 0n) });
    for await (const resolved of this.drain(read)) {
      const event = this.deliverable(resolved, options);
      if (!event) continue;
      yield event;
      if (--left <= 0) return;
    }
  }

  subscribeToAll(handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = esdbCatchUpSubscription(this.subscriptionSource(), handler, options);
    this.subscriptions.add(subscription);
    const forget = (): void => void this.subscriptions.delete(subscription);
    subscription.done.then(forget, forget);
    return subscription;
  }

  /** The last event of $all outside EventStoreDB's own `$` streams; 0n when there is none. */
  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
    for await (const resolved of this.drain(read)) {
      if (resolved.event && !isSystemEvent(resolved.event)) return positionOf(resolved.event);
    }
    return 0n;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private subscriptionSource(): EsdbSubscriptionSource {
    return {
      url: this.url,
      open: (options, onCheckpoint) =>
        this.client.subscribeToAll({
          // EventStoreDB starts a subscription after this position; deliverable() checks it too.
          fromPosition: fromPositionOf(options.fromPosition ?? 0n),
          filter:
            options.category === undefined
              ? excludeSystemEvents({ checkpointReached: onCheckpoint })
              : streamNameFilter({
                  prefixes: [`${options.category}-`],
                  checkpointReached: onCheckpoint,
                }),
        }),
      deliverable: (resolved, options) => this.deliverable(resolved, options),
      headPosition: () => this.headPosition(),
      translate: (error) => translateConnectionError(error, this.url),
    };
  }

  /** A Clocktower event after `fromPosition` in the category, or undefined for anything else in $all. */
  private deliverable(
    resolved: AllStreamResolvedEvent,
    scope: CategoryScope,
  ): RecordedEvent | undefined {
    const event = resolved.event;
    if (!event || isSystemEvent(event)) return undefined;
    if (scope.category !== undefined && !inCategory(event.streamId, scope.category))
      return undefined;
    // Reads of $all include the event at fromPosition itself: the port's fromPosition is exclusive.
    if (encodePosition(event.position) <= (scope.fromPosition ?? 0n)) return undefined;
    return toRecordedEvent(event);
  }

  private async readTail(stream: string, size: number): Promise<StreamTail> {
    const read = this.client.readStream(stream, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: BigInt(size),
    });
    const events: StoredRef[] = [];
    for await (const resolved of this.drain(read, { absentIsEmpty: true })) {
      if (resolved.event) events.push(toStoredRef(resolved.event));
    }
    events.reverse();
    return { events, current: events.at(-1)?.revision ?? -1 };
  }

  private async readRefs(
    stream: string,
    fromRevision: number,
    count: number,
  ): Promise<StoredRef[]> {
    const read = this.client.readStream(stream, {
      direction: FORWARDS,
      fromRevision: BigInt(fromRevision),
      maxCount: BigInt(count),
    });
    const refs: StoredRef[] = [];
    for await (const resolved of this.drain(read, { absentIsEmpty: true })) {
      if (resolved.event) refs.push(toStoredRef(resolved.event));
    }
    return refs;
  }

  /** The original result when this append was already made (the port's retry rule), else undefined. */
  private async retriedResult(
    stream: string,
    events: readonly Message[],
    expected: ExpectedRevision,
    tail: StreamTail,
  ): Promise<AppendResult | undefined> {
    const first = events[0]!.eventId;
    const at = tail.events.findIndex((stored) => stored.eventId === first);
    if (at >= 0) return idempotentResult(stream, events, tail.events.slice(at, at + events.length));
    // A retry with an exact expected revision lands where the original did, however old that is.
    const slot =
      expected === 'no_stream'
        ? 0
        : typeof expected === 'number' && Number.isInteger(expected) && expected >= -1
          ? expected + 1
          : undefined;
    const windowStart = tail.events[0]?.revision ?? 0;
    if (slot === undefined || slot >= windowStart || slot > tail.current) return undefined;
    const stored = await this.readRefs(stream, slot, events.length);
    return stored[0]?.eventId === first ? idempotentResult(stream, events, stored) : undefined;
  }

  private async appendResult(
    stream: string,
    expected: ExpectedRevision,
    count: number,
    result: EsdbAppendResult,
    currentBefore: number,
  ): Promise<AppendResult> {
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    if (!result.success) {
      // Only with throwOnAppendFailure=false in the connection string.
      throw new WrongExpectedRevisionError(
        stream,
        expected,
        nextExpectedRevision < 0 ? 'no_stream' : nextExpectedRevision,
      );
    }
    // A fresh write ends `count` revisions after the tail we read (or later, when another writer
    // got in between). Anything else is EventStoreDB answering a racing retry from its own
    // duplicate detection, whose position older servers leave out: read the original back.
    if (result.position !== undefined && nextExpectedRevision >= currentBefore + count) {
      return { nextExpectedRevision, position: encodePosition(result.position) };
    }
    const [last] = await this.readRefs(stream, nextExpectedRevision, 1);
    if (!last)
      throw new UnreadableEventError(
        stream,
        nextExpectedRevision,
        'EventStoreDB reported it written, but it cannot be read back',
      );
    return { nextExpectedRevision, position: last.position };
  }

  /**
   * Iterates a read, translating the client's errors; an absent or deleted stream reads as empty
   * when asked. A consumer that stops early would leave the gRPC call open: it is cancelled.
   */
  private async *drain<E>(
    read: StreamingRead<E>,
    options: { absentIsEmpty?: boolean } = {},
  ): AsyncGenerator<E> {
    let finished = false;
    try {
      for await (const item of read) yield item;
      finished = true;
    } catch (error) {
      if (
        options.absentIsEmpty &&
        (isStreamNotFound(error) || error instanceof StreamDeletedError)
      ) {
        finished = true;
        return;
      }
      throw translateConnectionError(error, this.url);
    } finally {
      if (!finished) await read.cancel().catch(() => undefined);
    }
  }

  private assertOpen(): void {
    if (this.closed)
      throw new EventStoreUnavailableError(`the EventStoreDB event store (${this.url}) is closed`);
  }
}

/**
 * The port's expected revision in EventStoreDB's terms. -1 is the port's revision of an absent
 * stream (as in the other stores), so it means NO_STREAM; a revision no stream can be at is refused
 * here, with the stream's actual revision from the tail just read.
 */
function toEsdbExpectedRevision(
  stream: string,
  expected: ExpectedRevision,
  current: number,
): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
  }
  if (Number.isInteger(expected) && expected >= 0) return BigInt(expected);
  if (expected === -1) return NO_STREAM;
  checkExpectedRevision(stream, expected, current);
  throw new WrongExpectedRevisionError(stream, expected, current === -1 ? 'no_stream' : current);
}
