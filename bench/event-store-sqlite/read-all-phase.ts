import type { SqliteEventStore } from '@clocktower/event-store';
import type { RawEventTable } from './raw-event-table.js';

/*
 * The three readers take turns over the same file in slices of a few tens of thousands of events
 * (a fraction of a second each), rotating who goes first, so that load from other tenants of the
 * machine lands on all three alike. Slices rather than single pages, so that one reader's garbage
 * is mostly collected on its own time. Each reader touches one field per event so that nothing is
 * optimised away.
 */

export const READ_VARIANTS = ['store', 'raw', 'rawParse'] as const;
export type ReadVariant = (typeof READ_VARIANTS)[number];

export interface ReadSources {
  readonly store: SqliteEventStore;
  /** Two connections, so that neither raw reader finds the pages in the other's SQLite cache. */
  readonly raw: RawEventTable;
  readonly rawParse: RawEventTable;
}

interface Reader {
  /** Reads up to `count` further events; returns how many there were. */
  read(count: number): Promise<number>;
}

function storeReader(store: SqliteEventStore): Reader {
  const events = store.readAll()[Symbol.asyncIterator]();
  return {
    async read(count) {
      let read = 0;
      for (; read < count; read++) {
        const next = await events.next();
        if (next.done === true) break;
        if (next.value.data['jobId'] === undefined) throw new Error('event without jobId');
      }
      return read;
    },
  };
}

function rawReader(table: RawEventTable, pageSize: number, parse: boolean): Reader {
  let after = 0;
  return {
    read(count) {
      let read = 0;
      while (read < count) {
        const rows = table.readPage(after, Math.min(pageSize, count - read));
        if (rows.length === 0) break;
        for (const row of rows) {
          const touched = parse
            ? (JSON.parse(row.data) as Record<string, unknown>)['jobId'] !== undefined
            : row.data.length > 0;
          if (!touched) throw new Error('row without data');
        }
        read += rows.length;
        after = rows[rows.length - 1]!.position;
      }
      return Promise.resolve(read);
    },
  };
}

/** One full pass of all three readers over `total` events; returns each one's events/s. */
export async function readAllInterleaved(
  sources: ReadSources,
  total: number,
  sliceSize: number,
  pageSize: number,
  rotation: number,
): Promise<Record<ReadVariant, number>> {
  const readers: Record<ReadVariant, Reader> = {
    store: storeReader(sources.store),
    raw: rawReader(sources.raw, pageSize, false),
    rawParse: rawReader(sources.rawParse, pageSize, true),
  };
  const ms = { store: 0, raw: 0, rawParse: 0 };
  const read = { store: 0, raw: 0, rawParse: 0 };
  for (let slice = 0; slice * sliceSize < total; slice++) {
    const first = (rotation + slice) % READ_VARIANTS.length;
    for (const variant of [...READ_VARIANTS.slice(first), ...READ_VARIANTS.slice(0, first)]) {
      const start = performance.now();
      read[variant] += await readers[variant].read(Math.min(sliceSize, total - slice * sliceSize));
      ms[variant] += performance.now() - start;
    }
  }
  for (const variant of READ_VARIANTS) {
    if (read[variant] !== total) {
      throw new Error(`read-all (${variant}) read ${read[variant]} events, expected ${total}`);
    }
  }
  return {
    store: total / (ms.store / 1_000),
    raw: total / (ms.raw / 1_000),
    rawParse: total / (ms.rawParse / 1_000),
  };
}
