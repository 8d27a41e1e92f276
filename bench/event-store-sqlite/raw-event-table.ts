import Database from 'better-sqlite3';
import { categoryOf, type Message } from '@clocktower/contracts';
import { SQLITE_EVENT_STORE_SCHEMA } from '@clocktower/event-store';

/*
 * The baseline: what hand-written better-sqlite3 does with the same table, the same pragmas and
 * the same rows, and nothing else (no revision check, no idempotency lookup, no envelope rebuilt
 * on read). The distance between it and SqliteEventStore is the store's own cost.
 */

/** Mirrors EVENT_COLUMNS in libs/event-store/src/adapters/sqlite/sqlite-schema.ts (not exported). */
const COLUMNS =
  'position, stream, revision, event_id, type, schema_version, correlation_id, causation_id, occurred_at, recorded_at, data';

export interface RawEventRow {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  correlation_id: string;
  causation_id: string;
  occurred_at: string;
  recorded_at: string;
  data: string;
}

type InsertArgs = [
  stream: string,
  category: string,
  revision: number,
  eventId: string,
  type: string,
  schemaVersion: number,
  correlationId: string,
  causationId: string,
  occurredAt: string,
  /** As the store writes it: ISO 8601 text. */
  recordedAt: string,
  data: string,
];

export class RawEventTable {
  private readonly insert: Database.Statement<InsertArgs>;
  private readonly page: Database.Statement<[number, number], RawEventRow>;
  private readonly insertBatch: (
    stream: string,
    fromRevision: number,
    events: readonly Message[],
    recordedAt: string,
  ) => void;

  /** Same pragmas as SqliteEventStore.open: WAL, synchronous NORMAL. */
  constructor(private readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SQLITE_EVENT_STORE_SCHEMA);
    this.insert = db.prepare<InsertArgs>(
      'INSERT INTO events (stream, category, revision, event_id, type, schema_version, correlation_id, causation_id, occurred_at, recorded_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.page = db.prepare<[number, number], RawEventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    );
    this.insertBatch = db.transaction(
      (stream: string, fromRevision: number, events: readonly Message[], recordedAt: string) => {
        const category = categoryOf(stream);
        for (let i = 0; i < events.length; i++) {
          this.insertRow(stream, category, fromRevision + i, events[i]!, recordedAt);
        }
      },
    );
  }

  static open(file: string): RawEventTable {
    return new RawEventTable(new Database(file));
  }

  /** All events in one transaction, like one append call. */
  appendBatch(
    stream: string,
    fromRevision: number,
    events: readonly Message[],
    recordedAt: string,
  ): void {
    this.insertBatch(stream, fromRevision, events, recordedAt);
  }

  /** Outside a transaction: SQLite's autocommit makes the INSERT its own transaction. */
  insertOne(stream: string, revision: number, event: Message, recordedAt: string): void {
    this.insertRow(stream, categoryOf(stream), revision, event, recordedAt);
  }

  private insertRow(
    stream: string,
    category: string,
    revision: number,
    e: Message,
    recordedAt: string,
  ): void {
    this.insert.run(
      stream,
      category,
      revision,
      e.eventId,
      e.type,
      e.schemaVersion,
      e.correlationId,
      e.causationId,
      e.occurredAt,
      recordedAt,
      JSON.stringify(e.data),
    );
  }

  readPage(after: number, limit: number): RawEventRow[] {
    return this.page.all(after, limit);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * The comparison is only fair while the store writes what the baseline writes: fails loudly,
 * naming the column, when a change to the store's schema or encoding makes them drift apart.
 */
export function assertSameRows(
  fromStore: RawEventTable,
  fromBaseline: RawEventTable,
  afterPositions: readonly number[],
  pageSize: number,
): void {
  for (const after of afterPositions) {
    const theirs = fromBaseline.readPage(after, pageSize);
    fromStore.readPage(after, pageSize).forEach((row, i) => {
      const other = theirs[i];
      const column = (Object.keys(row) as (keyof RawEventRow)[]).find(
        (key) => row[key] !== other?.[key],
      );
      if (column !== undefined) {
        throw new Error(
          `the store and the raw baseline wrote different rows at position ${row.position}, column ${column}: ` +
            `${JSON.stringify(row[column])} vs ${JSON.stringify(other?.[column])}; ` +
            'make bench/event-store-sqlite/raw-event-table.ts write what the store writes',
        );
      }
    });
  }
}
