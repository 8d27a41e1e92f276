import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { categoryOf } from '@clocktower/contracts';
import { SqliteEventStore, type RecordedEvent } from '@clocktower/event-store';
import { syntheticHistory, type SyntheticEvent } from '@clocktower/testing';
import { log } from '../../../../bench/report.js';

/**
 * The history's shape: a few clusters of a few hundred nodes, users of very different activity
 * (the generator gives the first users most jobs). The same in the gateway's jobs-api benchmark.
 */
export const HISTORY_SHAPE = { clusters: 4, nodes: 256, users: 400, accounts: 40 } as const;

export interface Fill {
  readonly events: number;
  readonly jobs: number;
  readonly streams: number;
  readonly ms: number;
  readonly byType: Readonly<Record<string, number>>;
}

const ROWS_PER_TRANSACTION = 10_000;
const PROGRESS_EVERY = 250_000;
/** Events kept aside and compared with what the store reads back. */
const SAMPLES = 20;

/**
 * The store's own rows, written with SQL in large transactions: the columns and encodings of
 * SqliteEventStore's append (the event-store benchmark checks that such rows equal the store's,
 * and checkReadBack below checks that the store reads these back as the events they came from).
 * Through append(), one call per stream and poll as a collector writes, the fill ran at about
 * 4,000 events/s here: minutes for a million, measuring what the event-store benchmark measures.
 */
class BulkEventWriter {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertMany: (events: readonly SyntheticEvent[]) => void;
  private pending: SyntheticEvent[] = [];

  private constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.insert = this.db.prepare(
      `INSERT INTO events (stream, category, revision, event_id, type, schema_version,
         correlation_id, causation_id, occurred_at, recorded_at, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMany = this.db.transaction((events: readonly SyntheticEvent[]) => {
      for (const e of events) {
        this.insert.run(
          e.stream,
          categoryOf(e.stream),
          e.revision,
          e.eventId,
          e.type,
          e.schemaVersion,
          e.correlationId,
          e.causationId,
          e.occurredAt,
          // recordedAt: when the collector appended it, right after the poll that saw it.
          e.occurredAt,
          JSON.stringify(e.data),
        );
      }
    });
  }

  /** Creates the store's schema by opening it, then writes into its file. */
  static async open(file: string): Promise<BulkEventWriter> {
    await SqliteEventStore.open({ file }).close();
    return new BulkEventWriter(file);
  }

  add(event: SyntheticEvent): void {
    this.pending.push(event);
    if (this.pending.length >= ROWS_PER_TRANSACTION) this.flush();
  }

  flush(): void {
    if (this.pending.length > 0) this.insertMany(this.pending);
    this.pending = [];
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}

/**
 * Writes the synthetic history into the store files until `storeFile` holds `total` events, and its
 * first `warmEvents` into `warmFile` too, in the generator's order (the order a collector observed
 * them).
 */
export async function fillStores(
  storeFile: string,
  warmFile: string,
  total: number,
  warmEvents: number,
  seed: number,
): Promise<Fill & { readonly samples: ReadonlyMap<number, SyntheticEvent> }> {
  const main = await BulkEventWriter.open(storeFile);
  const warm = await BulkEventWriter.open(warmFile);
  const byType: Record<string, number> = {};
  const streams = new Set<string>();
  const samples = new Map<number, SyntheticEvent>();
  const sampleEvery = Math.max(1, Math.floor(total / SAMPLES));
  let events = 0;
  let jobs = 0;
  const started = performance.now();
  // Generous: the history is cut at `total` events, long before this many jobs are submitted.
  for (const event of syntheticHistory({ seed, jobs: total, ...HISTORY_SHAPE })) {
    main.add(event);
    if (events < warmEvents) warm.add(event);
    events++;
    if (events % sampleEvery === 1 || events === total) samples.set(events, event);
    byType[event.type] = (byType[event.type] ?? 0) + 1;
    if (event.type === 'JobSubmitted') jobs++;
    streams.add(event.stream);
    if (events % PROGRESS_EVERY === 0) {
      const rate = events / ((performance.now() - started) / 1_000);
      log(
        `    ${events.toLocaleString('en-US')} events written, ${Math.round(rate).toLocaleString('en-US')}/s`,
      );
    }
    if (events >= total) break;
  }
  main.close();
  warm.close();
  return { events, jobs, streams: streams.size, ms: performance.now() - started, byType, samples };
}

/** The store must read back, at their positions, exactly the events that were written. */
export async function checkReadBack(
  store: SqliteEventStore,
  samples: ReadonlyMap<number, SyntheticEvent>,
): Promise<void> {
  for (const [position, written] of samples) {
    let read: RecordedEvent | undefined;
    for await (const event of store.readAll({ fromPosition: BigInt(position - 1), maxCount: 1 }))
      read = event;
    const same =
      read !== undefined &&
      read.position === BigInt(position) &&
      (
        [
          'stream',
          'revision',
          'type',
          'schemaVersion',
          'eventId',
          'correlationId',
          'causationId',
          'occurredAt',
        ] as const
      ).every((key) => read[key] === written[key]) &&
      isDeepStrictEqual(read.data, written.data);
    if (!same) {
      throw new Error(
        `the store reads back position ${position} as ${JSON.stringify(read, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}, not the event written there: ${JSON.stringify(written)}`,
      );
    }
  }
}
