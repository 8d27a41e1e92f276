import type { Message } from '@clocktower/contracts';
import { categoryOf } from '@clocktower/contracts';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../../port/event-store.port.js';
import {
  AppendSignal,
  catchUpSubscription,
  readAllPaged,
  type PageSource,
} from '../../port/catch-up-subscription.js';
import {
  checkExpectedRevision,
  idempotentResult,
  validateAppend,
} from '../../port/expected-revision.js';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
} from '../../port/event-store.errors.js';

/** For unit tests and the simulator's throw-away runs: the whole contract, in one process's memory. */
export class InMemoryEventStore implements EventStore, PageSource {
  private readonly all: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byEventId = new Map<string, RecordedEvent>();
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  append(
    stream: string,
    events: readonly Message[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    try {
      return Promise.resolve(this.appendNow(stream, events, options));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private appendNow(
    stream: string,
    events: readonly Message[],
    options: AppendOptions,
  ): AppendResult {
    this.assertOpen();
    validateAppend(stream, events);
    const existing = this.streams.get(stream) ?? [];
    const first = this.byEventId.get(events[0]!.eventId);
    if (first) {
      if (first.stream !== stream) throw new DuplicateEventIdError(stream, first.eventId);
      return idempotentResult(
        stream,
        events,
        existing.slice(first.revision, first.revision + events.length),
      );
    }
    checkExpectedRevision(stream, options.expectedRevision, existing.length - 1);
    // Event ids are unique across the store, as in the SQLite adapter.
    const clash = events.find((e) => this.byEventId.has(e.eventId));
    if (clash) throw new DuplicateEventIdError(stream, clash.eventId);
    const recordedAt = this.clock().toISOString();
    // Copy through JSON: what comes back out must not alias what the caller still holds.
    const recorded = events.map((event, i): RecordedEvent => ({
      type: event.type,
      schemaVersion: event.schemaVersion,
      eventId: event.eventId,
      correlationId: event.correlationId,
      causationId: event.causationId,
      occurredAt: event.occurredAt,
      data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>,
      stream,
      revision: existing.length + i,
      position: BigInt(this.all.length + i + 1),
      recordedAt,
    }));
    existing.push(...recorded);
    this.streams.set(stream, existing);
    this.all.push(...recorded);
    for (const event of recorded) this.byEventId.set(event.eventId, event);
    this.signal.notify();
    const last = recorded[recorded.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async *readStream(
    stream: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const events = this.streams.get(stream) ?? [];
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    let count = 0;
    if (options.direction === 'backwards') {
      for (
        let i = Math.min(options.fromRevision ?? events.length - 1, events.length - 1);
        i >= 0 && count < max;
        i--, count++
      ) {
        yield events[i]!;
      }
    } else {
      for (
        let i = Math.max(options.fromRevision ?? 0, 0);
        i < events.length && count < max;
        i++, count++
      ) {
        yield events[i]!;
      }
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    return readAllPaged(this, options);
  }

  subscribeToAll(handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = catchUpSubscription(this, handler, options);
    this.subscriptions.add(subscription);
    const forget = (): void => void this.subscriptions.delete(subscription);
    subscription.done.then(forget, forget);
    return subscription;
  }

  readPage(after: bigint, category: string | undefined, limit: number): RecordedEvent[] {
    const page: RecordedEvent[] = [];
    for (let i = Number(after); i < this.all.length && page.length < limit; i++) {
      const event = this.all[i]!;
      if (category === undefined || categoryOf(event.stream) === category) page.push(event);
    }
    return page;
  }

  positionOf(event: RecordedEvent): bigint {
    return event.position;
  }

  toEvent(event: RecordedEvent): RecordedEvent {
    return event;
  }

  waitForAppend(timeoutMs: number, abort: AbortSignal): Promise<void> {
    return this.signal.wait(timeoutMs, abort);
  }

  headPosition(): Promise<bigint> {
    return Promise.resolve(BigInt(this.all.length));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('the in-memory event store is closed');
  }
}
