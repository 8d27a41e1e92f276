import { describe, expect, it } from '@jest/globals';
import { until } from '@clocktower/testing';
import type { RecordedEvent } from '../src/index.js';
import { EventStoreDbEventStore } from '../src/eventstoredb.js';
import { eventStoreContract, testEvent } from './event-store.contract.js';
import { EventStoreDbEmulation, type EmulationOptions } from './eventstoredb-emulation.js';

// The adapter's own logic (idempotency checks, position packing, the catch-up loop) against an
// in-process model of EventStoreDB; eventstoredb-event-store.int.spec.ts runs the same contract
// against a real server.
const URL = 'esdb://emulated:2113?tls=false';

function emulated(
  options: EmulationOptions = {},
  window?: number,
): { server: EventStoreDbEmulation; open: () => EventStoreDbEventStore } {
  const server = new EventStoreDbEmulation(options);
  const open = (): EventStoreDbEventStore =>
    new EventStoreDbEventStore(URL, {
      client: server.client(),
      ...(window === undefined ? {} : { idempotencyWindow: window }),
    });
  return { server, open };
}

eventStoreContract('eventstoredb (emulated server)', () => {
  const { open } = emulated();
  return Promise.resolve({ store: open(), openAnother: () => Promise.resolve(open()) });
});

eventStoreContract('eventstoredb (emulated server before 23.10, no caught-up signal)', () => {
  const { open } = emulated({ sendsCaughtUp: false });
  return Promise.resolve({ store: open(), openAnother: () => Promise.resolve(open()) });
});

describe('eventstoredb adapter against the emulated server', () => {
  it('recognises an exact-revision retry older than the window it reads first', async () => {
    const store = emulated({}, 2).open();
    const events = [1, 2, 3, 4, 5].map((i) => testEvent(i));
    const results = [];
    for (const [i, event] of events.entries()) {
      results.push(
        await store.append('job-a', [event], { expectedRevision: i === 0 ? 'no_stream' : i - 1 }),
      );
    }
    expect(await store.append('job-a', [events[1]!], { expectedRevision: 0 })).toEqual(results[1]);
    expect(await store.append('job-a', [events[0]!], { expectedRevision: 'no_stream' })).toEqual(
      results[0],
    );
    await store.close();
  });

  it("returns the original position when EventStoreDB's own duplicate check answers a retry", async () => {
    // With 'any' and the original outside the window, the adapter appends and the server replies
    // from its duplicate detection; the result must still be the original one.
    const store = emulated({}, 1).open();
    const first = testEvent(1);
    const original = await store.append('job-b', [first], { expectedRevision: 'any' });
    await store.append('job-b', [testEvent(2)], { expectedRevision: 'any' });
    await store.append('job-b', [testEvent(3)], { expectedRevision: 'any' });
    expect(await store.append('job-b', [first], { expectedRevision: 'any' })).toEqual(original);
    const stored: RecordedEvent[] = [];
    for await (const event of store.readStream('job-b')) stored.push(event);
    expect(stored.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
    await store.close();
  });

  it('announces caught-up only after every earlier event was handled, one handler call at a time', async () => {
    const { open } = emulated();
    const store = open();
    for (let i = 0; i < 30; i++) {
      await store.append(
        `job-${String(i % 3)}`,
        Array.from({ length: 10 }, (_, j) => testEvent(i * 10 + j)),
        { expectedRevision: 'any' },
      );
    }
    let handled = 0;
    let running = 0;
    let overlapped = false;
    let handledAtCaughtUp = -1;
    const subscription = store.subscribeToAll(
      async () => {
        overlapped ||= running > 0;
        running++;
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        handled++;
      },
      { onCaughtUp: () => (handledAtCaughtUp = handled) },
    );
    await until('catch-up', () => handledAtCaughtUp >= 0, 20_000);
    await subscription.stop();
    await store.close();
    expect(handledAtCaughtUp).toBe(300);
    expect(overlapped).toBe(false);
  });

  it('stops a subscription only once the running handler call has returned', async () => {
    const store = emulated().open();
    await store.append('job-c', [testEvent(1)], { expectedRevision: 'any' });
    let release: (() => void) | undefined;
    let finished = false;
    const subscription = store.subscribeToAll(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    await until('the handler to start', () => release !== undefined);
    const stopping = subscription.stop();
    release!();
    await stopping;
    expect(finished).toBe(true);
    await expect(subscription.done).resolves.toBeUndefined();
    await store.close();
  });
});
