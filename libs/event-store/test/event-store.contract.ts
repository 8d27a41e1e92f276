import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createMessage, MessageKind, type Message } from '@clocktower/contracts';
import {
  DuplicateEventIdError,
  InvalidAppendError,
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
} from '../src/index.js';

/** What a contract run needs from an adapter. */
export interface EventStoreHarness {
  store: EventStore;
  /** A second handle on the same storage, as another process would have (when the adapter has one). */
  openAnother?: () => Promise<EventStore>;
  cleanup?: () => Promise<void>;
}

class TestEvent {
  static readonly type = 'TestEventHappened';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Event;
  n!: number;
  payload?: unknown;
}

export function testEvent(n: number, extra: Partial<Message> = {}, payload?: unknown): Message {
  return {
    ...createMessage(TestEvent, payload === undefined ? { n } : { n, payload }, {
      correlationId: `corr-${n}`,
    }),
    ...extra,
  };
}

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The event-store contract: written once, run against every adapter. Every test works in its own
 * stream category so it also runs against a shared server (EventStoreDB) holding other data.
 */
export interface ContractOptions {
  /** The storage can be opened twice (a file, a server): run the cross-handle check. */
  readonly sharedStorage?: boolean;
}

export function eventStoreContract(
  adapter: string,
  open: () => Promise<EventStoreHarness>,
  options: ContractOptions = { sharedStorage: true },
): void {
  describe(`event store contract: ${adapter}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;
    let category: string;
    let stream: (id: string) => string;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
      category = `t${randomBytes(5).toString('hex')}`;
      stream = (id) => `${category}-${id}`;
    });

    afterEach(async () => {
      await store.close();
      await harness.cleanup?.();
    });

    const n = (events: readonly RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);

    it('appends to a new stream and reads it back with revisions from 0 and rising positions', async () => {
      const result = await store.append(stream('a'), [testEvent(1), testEvent(2), testEvent(3)], {
        expectedRevision: 'no_stream',
      });
      expect(result.nextExpectedRevision).toBe(2);
      const events = await collect(store.readStream(stream('a')));
      expect(n(events)).toEqual([1, 2, 3]);
      expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(
        events[1]!.position > events[0]!.position && events[2]!.position > events[1]!.position,
      ).toBe(true);
      expect(events[2]!.position).toBe(result.position);
      expect(events.every((e) => e.stream === stream('a'))).toBe(true);
    });

    it('keeps the envelope: type, schema version, ids, correlation, causation, time and nested data', async () => {
      const payload = {
        nested: { list: [1, 'two', null, true], text: 'héllo ✓ "quoted"' },
        big: 2 ** 40,
      };
      const event = testEvent(
        1,
        { causationId: 'cause-9', occurredAt: '2026-11-21T10:11:12.345Z' },
        payload,
      );
      await store.append(stream('env'), [event], { expectedRevision: 'any' });
      const [read] = await collect(store.readStream(stream('env')));
      expect(read).toMatchObject({
        type: 'TestEventHappened',
        schemaVersion: 1,
        eventId: event.eventId,
        correlationId: 'corr-1',
        causationId: 'cause-9',
        occurredAt: '2026-11-21T10:11:12.345Z',
        data: { n: 1, payload },
      });
      expect(Number.isNaN(Date.parse(read!.recordedAt))).toBe(false);
    });

    it('rejects a wrong expected revision with a conflict error and writes nothing', async () => {
      await store.append(stream('c'), [testEvent(1)], { expectedRevision: 'no_stream' });
      const head = await store.headPosition();
      const attempts = [
        () => store.append(stream('c'), [testEvent(2)], { expectedRevision: 'no_stream' }),
        () => store.append(stream('c'), [testEvent(3)], { expectedRevision: 5 }),
        () => store.append(stream('c'), [testEvent(4)], { expectedRevision: -1 }),
        () => store.append(stream('absent'), [testEvent(5)], { expectedRevision: 'stream_exists' }),
        () => store.append(stream('absent'), [testEvent(6)], { expectedRevision: 0 }),
      ];
      for (const attempt of attempts) {
        await expect(attempt()).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      }
      await expect(
        store.append(stream('c'), [testEvent(7)], { expectedRevision: 3 }),
      ).rejects.toMatchObject({
        code: 'WRONG_EXPECTED_REVISION',
        stream: stream('c'),
        expected: 3,
        actual: 0,
      });
      expect(n(await collect(store.readStream(stream('c'))))).toEqual([1]);
      expect(await collect(store.readStream(stream('absent')))).toEqual([]);
      expect(await store.headPosition()).toBe(head);
    });

    it('accepts the exact revision, stream_exists and any', async () => {
      const first = await store.append(stream('x'), [testEvent(1)], {
        expectedRevision: 'no_stream',
      });
      const second = await store.append(stream('x'), [testEvent(2)], {
        expectedRevision: first.nextExpectedRevision,
      });
      const third = await store.append(stream('x'), [testEvent(3)], {
        expectedRevision: 'stream_exists',
      });
      const fourth = await store.append(stream('x'), [testEvent(4)], { expectedRevision: 'any' });
      expect([second, third, fourth].map((r) => r.nextExpectedRevision)).toEqual([1, 2, 3]);
      expect(n(await collect(store.readStream(stream('x'))))).toEqual([1, 2, 3, 4]);
    });

    it('treats a retried append of the same event ids as a no-op with the same result', async () => {
      const events = [testEvent(1), testEvent(2)];
      const original = await store.append(stream('r'), events, { expectedRevision: 'no_stream' });
      const retried = await store.append(stream('r'), events, { expectedRevision: 'no_stream' });
      const retriedAny = await store.append(stream('r'), events, { expectedRevision: 'any' });
      expect(retried).toEqual(original);
      expect(retriedAny).toEqual(original);
      const later = await store.append(stream('r'), [testEvent(3)], { expectedRevision: 1 });
      expect(await store.append(stream('r'), events.slice(1), { expectedRevision: 0 })).toEqual({
        nextExpectedRevision: 1,
        position: original.position,
      });
      expect(n(await collect(store.readStream(stream('r'))))).toEqual([1, 2, 3]);
      expect(later.nextExpectedRevision).toBe(2);
    });

    it('refuses an append that repeats only some stored event ids, writing nothing', async () => {
      const stored = testEvent(1);
      await store.append(stream('p'), [stored], { expectedRevision: 'no_stream' });
      await expect(
        store.append(stream('p'), [testEvent(2), stored], { expectedRevision: 0 }),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(
        store.append(stream('p'), [stored, testEvent(3)], { expectedRevision: 0 }),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(n(await collect(store.readStream(stream('p'))))).toEqual([1]);
    });

    it('refuses malformed appends with a clear error', async () => {
      await expect(
        store.append(stream('m'), [], { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(
        store.append('', [testEvent(1)], { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(InvalidAppendError);
      const dup = testEvent(1);
      await expect(
        store.append(stream('m'), [dup, dup], { expectedRevision: 'any' }),
      ).rejects.toThrow(/repeats event id/);
      expect(await collect(store.readStream(stream('m')))).toEqual([]);
    });

    it('reads a stream backwards, from a revision, and a limited count', async () => {
      await store.append(
        stream('b'),
        [1, 2, 3, 4, 5].map((i) => testEvent(i)),
        { expectedRevision: 'no_stream' },
      );
      expect(n(await collect(store.readStream(stream('b'), { direction: 'backwards' })))).toEqual([
        5, 4, 3, 2, 1,
      ]);
      expect(
        n(
          await collect(
            store.readStream(stream('b'), { direction: 'backwards', fromRevision: 2, maxCount: 2 }),
          ),
        ),
      ).toEqual([3, 2]);
      expect(n(await collect(store.readStream(stream('b'), { fromRevision: 3 })))).toEqual([4, 5]);
      expect(n(await collect(store.readStream(stream('b'), { maxCount: 2 })))).toEqual([1, 2]);
    });

    it('reads all events in append order across streams, after a position and by category', async () => {
      const start = await store.headPosition();
      await store.append(stream('1'), [testEvent(1)], { expectedRevision: 'any' });
      await store.append(`other${category}-1`, [testEvent(100)], { expectedRevision: 'any' });
      await store.append(stream('2'), [testEvent(2), testEvent(3)], { expectedRevision: 'any' });
      await store.append(stream('1'), [testEvent(4)], { expectedRevision: 'any' });
      const mine = await collect(store.readAll({ fromPosition: start, category }));
      expect(n(mine)).toEqual([1, 2, 3, 4]);
      const everything = (await collect(store.readAll({ fromPosition: start }))).filter((e) =>
        e.stream.includes(category),
      );
      expect(n(everything)).toEqual([1, 100, 2, 3, 4]);
      expect(
        n(await collect(store.readAll({ fromPosition: mine[1]!.position, category }))),
      ).toEqual([3, 4]);
      expect(
        n(await collect(store.readAll({ fromPosition: start, category, maxCount: 3 }))),
      ).toEqual([1, 2, 3]);
      expect(await store.headPosition()).toBe(mine[3]!.position);
    });

    it('lets exactly one of two racing appends at the same revision win', async () => {
      await store.append(stream('race'), [testEvent(0)], { expectedRevision: 'no_stream' });
      const results = await Promise.allSettled([
        store.append(stream('race'), [testEvent(1)], { expectedRevision: 0 }),
        store.append(stream('race'), [testEvent(2)], { expectedRevision: 0 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await collect(store.readStream(stream('race')))).toHaveLength(2);
    });

    it('delivers history then live events to a catch-up subscription, each once, in order', async () => {
      const start = await store.headPosition();
      await store.append(stream('s'), [testEvent(1), testEvent(2)], { expectedRevision: 'any' });
      const seen: number[] = [];
      let caughtUp = false;
      const subscription = store.subscribeToAll(
        (e) => void seen.push((e.data as { n: number }).n),
        {
          fromPosition: start,
          category,
          onCaughtUp: () => (caughtUp = true),
        },
      );
      await until('catch-up', () => caughtUp);
      // Appends racing the switch from history to live: none may be lost or repeated.
      for (let i = 3; i <= 40; i++) {
        await store.append(stream(i % 2 ? 's' : 't'), [testEvent(i)], { expectedRevision: 'any' });
      }
      await until('all events', () => seen.length >= 40);
      await subscription.stop();
      expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    it('resumes a subscription after a position, as a restarted subscriber does from its checkpoint', async () => {
      const start = await store.headPosition();
      await store.append(
        stream('k'),
        [1, 2, 3].map((i) => testEvent(i)),
        { expectedRevision: 'any' },
      );
      const [, second] = await collect(store.readAll({ fromPosition: start, category }));
      const seen: number[] = [];
      const subscription = store.subscribeToAll(
        (e) => void seen.push((e.data as { n: number }).n),
        { fromPosition: second!.position, category },
      );
      await until('event 3', () => seen.length === 1);
      await store.append(stream('k'), [testEvent(4)], { expectedRevision: 2 });
      await until('event 4', () => seen.length === 2);
      await subscription.stop();
      expect(seen).toEqual([3, 4]);
    });

    it('ends a subscription whose handler throws, with that error', async () => {
      const start = await store.headPosition();
      await store.append(stream('f'), [testEvent(1)], { expectedRevision: 'any' });
      const subscription = store.subscribeToAll(
        () => {
          throw new Error('handler broke');
        },
        { fromPosition: start, category },
      );
      await expect(subscription.done).rejects.toThrow('handler broke');
    });

    // An in-memory store has no second handle: there the check does not apply, and says so.
    (options.sharedStorage ? it : it.skip)(
      'sees appends made through another handle on the same storage, live and with no gap',
      async () => {
        if (!harness.openAnother)
          throw new Error(`${adapter} declares shared storage but its harness has no openAnother`);
        const other = await harness.openAnother();
        try {
          const start = await store.headPosition();
          const seen: number[] = [];
          let caughtUp = false;
          const subscription = store.subscribeToAll(
            (e) => void seen.push((e.data as { n: number }).n),
            {
              fromPosition: start,
              category,
              onCaughtUp: () => (caughtUp = true),
            },
          );
          await until('catch-up', () => caughtUp);
          for (let i = 1; i <= 20; i++) {
            await other.append(stream('o'), [testEvent(i)], { expectedRevision: 'any' });
          }
          await until('events from the other handle', () => seen.length >= 20);
          await subscription.stop();
          expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        } finally {
          await other.close();
        }
      },
    );
  });
}
