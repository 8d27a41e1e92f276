import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StartedTestContainer } from 'testcontainers';
import { until } from '@clocktower/testing';
import { EventStoreUnavailableError, type RecordedEvent } from '../src/index.js';
import { EventStoreDbEventStore } from '../src/eventstoredb.js';
import { eventStoreContract, testEvent } from './event-store.contract.js';

/**
 * The shared contract against a real EventStoreDB: the server at EVENTSTORE_URL when set (it may
 * hold other data: every contract test works in a category of its own), else a throw-away
 * container when testcontainers finds a container runtime, else the suite is skipped and says why.
 * EventStoreDB is not one of the components CI must provide, so a skip is not a failure under CI.
 */
const IMAGE = process.env['EVENTSTORE_IMAGE'] ?? 'eventstore/eventstore:24.10';
const ESDB_PORT = 2113;
const RUNTIME_PROBE_MS = 5_000;

type Target =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'container' }
  | { readonly kind: 'none'; readonly reason: string };

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

async function findTarget(): Promise<Target> {
  const url = process.env['EVENTSTORE_URL'];
  if (url) return { kind: 'url', url };
  try {
    // Throws at once when no Docker/Podman socket answers (a docker CLI without an engine included).
    const { getContainerRuntimeClient } = await import('testcontainers');
    await within(getContainerRuntimeClient(), RUNTIME_PROBE_MS, 'the container runtime');
    return { kind: 'container' };
  } catch (error) {
    return { kind: 'none', reason: error instanceof Error ? error.message : String(error) };
  }
}

async function startEventStoreDb(): Promise<StartedTestContainer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  return new GenericContainer(IMAGE)
    .withEnvironment({
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_RUN_PROJECTIONS: 'All',
      // System projections write $ce-/$et-/$bc- links into $all: the adapter must pass over them.
      EVENTSTORE_START_STANDARD_PROJECTIONS: 'true',
      EVENTSTORE_MEM_DB: 'true',
    })
    .withExposedPorts(ESDB_PORT)
    .withWaitStrategy(
      Wait.forAll([
        Wait.forListeningPorts(),
        Wait.forHttp('/health/live', ESDB_PORT).forStatusCodeMatching(
          (code) => code >= 200 && code < 300,
        ),
      ]),
    )
    .withStartupTimeout(120_000)
    .start();
}

/** A fresh node is live before it is leader: wait until it takes a write. */
async function waitUntilWritable(url: string): Promise<void> {
  const store = new EventStoreDbEventStore(url);
  try {
    await until(
      'EventStoreDB to accept writes',
      () =>
        store.append('readiness-probe', [testEvent(0)], { expectedRevision: 'any' }).then(
          () => true,
          () => false,
        ),
      60_000,
      250,
    );
  } finally {
    await store.close();
  }
}

const target = await findTarget();

if (target.kind === 'none') {
  const reason = `EVENTSTORE_URL is not set and testcontainers found no container runtime (${target.reason})`;
  process.stderr.write(`EventStoreDB contract suite SKIPPED: ${reason}\n`);
  describe.skip(`eventstoredb: ${reason}`, () => {
    eventStoreContract('eventstoredb', () => Promise.reject(new Error('no EventStoreDB')));
  });
} else {
  describe('eventstoredb', () => {
    let url = target.kind === 'url' ? target.url : '';
    let container: StartedTestContainer | undefined;

    beforeAll(async () => {
      if (target.kind === 'container') {
        container = await startEventStoreDb();
        url = `esdb://${container.getHost()}:${String(container.getMappedPort(ESDB_PORT))}?tls=false`;
        await waitUntilWritable(url);
      }
    }, 240_000);

    afterAll(async () => {
      await container?.stop();
    });

    eventStoreContract('eventstoredb', async () => ({
      store: await EventStoreDbEventStore.connect(url),
      openAnother: () => EventStoreDbEventStore.connect(url),
    }));
  });
}

describe('eventstoredb event store: no server', () => {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  const nowhere = 'esdb://127.0.0.1:1?tls=false';

  it('fails at connect with an error naming the server and what to check', async () => {
    const connecting = EventStoreDbEventStore.connect(nowhere);
    await expect(connecting).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(EventStoreDbEventStore.connect(nowhere)).rejects.toThrow(
      /esdb:\/\/127\.0\.0\.1:1\?tls=false is unreachable.*start the server/,
    );
  });

  it('reports an unreachable server as EventStoreUnavailableError on append, reads and subscriptions', async () => {
    const store = new EventStoreDbEventStore(nowhere);
    try {
      await expect(
        store.append('job-1', [testEvent(1)], { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      const read = async (): Promise<RecordedEvent[]> => {
        const out: RecordedEvent[] = [];
        for await (const event of store.readStream('job-1')) out.push(event);
        return out;
      };
      await expect(read()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      const subscription = store.subscribeToAll(() => undefined, { category: 'job' });
      await expect(subscription.done).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await store.close();
    }
  });

  it('refuses a malformed connection string without repeating its password', () => {
    const attempt = (): EventStoreDbEventStore =>
      new EventStoreDbEventStore('esdb://admin:s3cret@127.0.0.1:notaport');
    expect(attempt).toThrow(EventStoreUnavailableError);
    expect(attempt).toThrow(
      /connection string esdb:\/\/admin:\*\*\*@127\.0\.0\.1:notaport is not valid/,
    );
    expect(attempt).not.toThrow(/s3cret/);
  });

  it('refuses use after close, and a subscription stopped by close settles', async () => {
    const store = new EventStoreDbEventStore(nowhere);
    const subscription = store.subscribeToAll(() => undefined);
    await store.close();
    await expect(subscription.done).resolves.toBeUndefined();
    expect(() => store.subscribeToAll(() => undefined)).toThrow(/is closed/);
    await expect(
      store.append('job-1', [testEvent(1)], { expectedRevision: 'any' }),
    ).rejects.toThrow(EventStoreUnavailableError);
  });
});
