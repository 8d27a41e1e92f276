import { setImmediate as breathe } from 'node:timers/promises';
import type { Message } from '@clocktower/contracts';
import type { SqliteEventStore } from '@clocktower/event-store';
import { jobEvent, jobEvents, jobStream } from '../fixtures/job-events.js';
import type { RawEventTable } from './raw-event-table.js';

/*
 * Appends alternate store and raw call by call (single appends: chunk by chunk), swapping which
 * goes first each time, so that a noisy second on a shared machine hits both sides alike. Only
 * the calls are timed; making the events is not.
 */

export interface Elapsed {
  storeMs: number;
  rawMs: number;
}

export interface AppendTargets {
  readonly store: SqliteEventStore;
  readonly raw: RawEventTable;
  /** recorded_at exactly as the store (given a fixed clock) writes it. */
  readonly recordedAt: string;
}

async function alternate(turn: number, viaStore: () => Promise<void>, viaRaw: () => void) {
  if (turn % 2 === 0) {
    await viaStore();
    viaRaw();
  } else {
    viaRaw();
    await viaStore();
  }
  // Untimed: appends resolve at once, so without this a Ctrl-C would wait for the whole phase.
  await breathe();
}

/** Jobs firstJob, firstJob + 1, … get one append call of `batchSize` events each: one stream per call. */
export async function appendBatches(
  { store, raw, recordedAt }: AppendTargets,
  firstJob: number,
  batches: number,
  batchSize: number,
): Promise<Elapsed> {
  const elapsed = { storeMs: 0, rawMs: 0 };
  for (let b = 0; b < batches; b++) {
    const job = firstJob + b;
    const stream = jobStream(job);
    const events = jobEvents(job, 0, batchSize);
    await alternate(
      b,
      async () => {
        const start = performance.now();
        await store.append(stream, events, { expectedRevision: 'no_stream' });
        elapsed.storeMs += performance.now() - start;
      },
      () => {
        const start = performance.now();
        raw.appendBatch(stream, 0, events, recordedAt);
        elapsed.rawMs += performance.now() - start;
      },
    );
  }
  return elapsed;
}

interface SingleAppend {
  readonly stream: string;
  readonly revision: number;
  readonly event: Message;
}

/**
 * `count` calls of one event each; event i goes to job firstJob + (i mod streams), so every stream
 * grows by one event per round and each call passes the exact expected revision.
 */
export async function appendSingles(
  { store, raw, recordedAt }: AppendTargets,
  firstJob: number,
  count: number,
  streams: number,
  chunkSize: number,
): Promise<Elapsed> {
  const elapsed = { storeMs: 0, rawMs: 0 };
  for (let from = 0, chunk = 0; from < count; from += chunkSize, chunk++) {
    const items = Array.from(
      { length: Math.min(chunkSize, count - from) },
      (_, k): SingleAppend => {
        const job = firstJob + ((from + k) % streams);
        const revision = Math.floor((from + k) / streams);
        return { stream: jobStream(job), revision, event: jobEvent(job, revision) };
      },
    );
    await alternate(
      chunk,
      async () => {
        const start = performance.now();
        for (const { stream, revision, event } of items) {
          const expectedRevision = revision === 0 ? 'no_stream' : revision - 1;
          await store.append(stream, [event], { expectedRevision });
        }
        elapsed.storeMs += performance.now() - start;
      },
      () => {
        const start = performance.now();
        for (const { stream, revision, event } of items) {
          raw.insertOne(stream, revision, event, recordedAt);
        }
        elapsed.rawMs += performance.now() - start;
      },
    );
  }
  return elapsed;
}
