import Database from 'better-sqlite3';
import { categoryOf, type Message } from '@clocktower/contracts';
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
  DEFAULT_IDLE_POLL_MS,
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
import { CREATE_SCHEMA, EVENT_COLUMNS, SCHEMA_VERSION, type EventRow } from './sqlite-schema.js';
import { isUniqueViolation, translateSqliteError } from './sqlite-errors.js';
import { SqliteRecordedEvent } from './sqlite-recorded-event.js';

export interface SqliteEventStoreOptions {
  /** The database file (created when absent); ':memory:' for a private throw-away store. */
  readonly file: string;
  /** How long to wait for another process's write lock before failing. */
  readonly busyTimeoutMs?: number;
  /** How often an idle subscription looks for appends made by another process. */
  readonly idlePollMs?: number;
  /**
   * NORMAL (default): with WAL, a committed append survives a process crash; a power cut may lose
   * the last commits but never corrupts the file. FULL: also survives a power cut, slower.
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  readonly clock?: () => Date;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** The embedded default: one SQLite file in WAL mode, shareable by several processes on one host. */
export class SqliteEventStore implements EventStore, PageSource<EventRow> {
  private readonly db: Database.Database;
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<Subscription>();
  private readonly clock: () => Date;
  private readonly idlePollMs: number;
  private readonly stmt: ReturnType<SqliteEventStore['prepare']>;
  private readonly appendTx: (
    stream: string,
    events: readonly Message[],
    options: AppendOptions,
  ) => AppendResult;
  private closed = false;

  /** Opens (creating when needed) and checks the file; throws EventStoreUnavailableError at once if unusable. */
  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    return new SqliteEventStore(options);
  }

  private constructor(private readonly options: SqliteEventStoreOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.idlePollMs = options.idlePollMs ?? DEFAULT_IDLE_POLL_MS;
    let db: Database.Database | undefined;
    try {
      db = new Database(options.file, {
        timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      });
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new EventStoreUnavailableError(
          `SQLite file ${options.file} was written by a newer Clocktower (schema ${version}, this build knows ${SCHEMA_VERSION}); upgrade`,
        );
      }
      db.exec(CREATE_SCHEMA);
      if (version > 0 && version < SCHEMA_VERSION) migrate(db, version);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      this.db = db;
      this.stmt = this.prepare();
    } catch (error) {
      db?.close();
      throw translateSqliteError(error, options.file);
    }
    // IMMEDIATE takes the write lock before the revision check, so check-then-insert is atomic
    // across processes as well as within this one.
    const tx = this.db.transaction(
      (stream: string, events: readonly Message[], options: AppendOptions) =>
        this.appendLocked(stream, events, options),
    );
    this.appendTx = (stream, events, options) => tx.immediate(stream, events, options);
  }

  private prepare() {
    const db = this.db;
    return {
      lastRevision: db.prepare<[string], { revision: number }>(
        'SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      byEventId: db.prepare<[string], { stream: string; revision: number }>(
        'SELECT stream, revision FROM events WHERE event_id = ?',
      ),
      streamSlice: db.prepare<
        [string, number, number],
        { event_id: string; revision: number; position: number }
      >(
        'SELECT event_id, revision, position FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      insert: db.prepare(
        'INSERT INTO events (stream, category, revision, event_id, type, schema_version, correlation_id, causation_id, occurred_at, recorded_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      pageAll: db
        .prepare<[number, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
        )
        .raw(true),
      pageCategory: db
        .prepare<[string, number, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE category = ? AND position > ? ORDER BY position LIMIT ?`,
        )
        .raw(true),
      streamForwards: db
        .prepare<[string, number, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
        )
        .raw(true),
      streamBackwards: db
        .prepare<[string, number, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
        )
        .raw(true),
      head: db.prepare<[], { head: number | null }>('SELECT MAX(position) AS head FROM events'),
    };
  }

  append(
    stream: string,
    events: readonly Message[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    try {
      this.assertOpen();
      validateAppend(stream, events);
      const result = this.appendTx(stream, events, options);
      this.signal.notify();
      return Promise.resolve(result);
    } catch (error) {
      const translated = translateSqliteError(error, this.options.file);
      return Promise.reject(
        translated instanceof Error ? translated : new Error(String(translated)),
      );
    }
  }

  private appendLocked(
    stream: string,
    events: readonly Message[],
    options: AppendOptions,
  ): AppendResult {
    const first = events[0]!;
    const stored = this.stmt.byEventId.get(first.eventId);
    if (stored) {
      if (stored.stream !== stream) throw new DuplicateEventIdError(stream, first.eventId);
      const slice = this.stmt.streamSlice.all(stream, stored.revision, events.length);
      return idempotentResult(
        stream,
        events,
        slice.map((r) => ({
          eventId: r.event_id,
          revision: r.revision,
          position: BigInt(r.position),
        })),
      );
    }
    const current = this.stmt.lastRevision.get(stream)?.revision ?? -1;
    checkExpectedRevision(stream, options.expectedRevision, current);
    const category = categoryOf(stream);
    const recordedAt = this.clock().toISOString();
    let position = 0;
    try {
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        const info = this.stmt.insert.run(
          stream,
          category,
          current + 1 + i,
          e.eventId,
          e.type,
          e.schemaVersion,
          e.correlationId,
          e.causationId,
          e.occurredAt,
          recordedAt,
          JSON.stringify(e.data),
        );
        position = Number(info.lastInsertRowid);
      }
    } catch (error) {
      // Only event_id can clash here: (stream, revision) is free under the write lock.
      if (isUniqueViolation(error)) {
        throw new DuplicateEventIdError(
          stream,
          events.find((e) => this.stmt.byEventId.get(e.eventId))?.eventId ?? first.eventId,
          { cause: error },
        );
      }
      throw error;
    }
    return { nextExpectedRevision: current + events.length, position: BigInt(position) };
  }

  async *readStream(
    stream: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    let next = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    let left = options.maxCount ?? Number.POSITIVE_INFINITY;
    const pageSize = 1_000;
    while (left > 0) {
      const limit = Math.min(pageSize, left);
      const rows = backwards
        ? this.stmt.streamBackwards.all(stream, next, limit)
        : this.stmt.streamForwards.all(stream, next, limit);
      for (const row of rows) yield toRecorded(row);
      if (rows.length < limit) return;
      left -= rows.length;
      next = rows[rows.length - 1]![2] + (backwards ? -1 : 1);
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    return readAllPaged(this, options);
  }

  subscribeToAll(handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = catchUpSubscription(this, handler, options, this.idlePollMs);
    this.subscriptions.add(subscription);
    const forget = (): void => void this.subscriptions.delete(subscription);
    subscription.done.then(forget, forget);
    return subscription;
  }

  readPage(after: bigint, category: string | undefined, limit: number): EventRow[] {
    this.assertOpen();
    return category === undefined
      ? this.stmt.pageAll.all(Number(after), limit)
      : this.stmt.pageCategory.all(category, Number(after), limit);
  }

  positionOf(row: EventRow): bigint {
    return BigInt(row[0]);
  }

  toEvent(row: EventRow): RecordedEvent {
    return toRecorded(row);
  }

  waitForAppend(timeoutMs: number, abort: AbortSignal): Promise<void> {
    return this.signal.wait(timeoutMs, abort);
  }

  headPosition(): Promise<bigint> {
    this.assertOpen();
    return Promise.resolve(BigInt(this.stmt.head.get()?.head ?? 0));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed)
      throw new EventStoreUnavailableError(`the SQLite event store ${this.options.file} is closed`);
  }
}

/**
 * Lifts a file written by an older build. Stored events keep every fact; only how a column is
 * encoded changes. v1 → v2: recorded_at from epoch milliseconds to ISO 8601 text.
 */
function migrate(db: Database.Database, from: number): void {
  if (from < 2) {
    db.exec(
      "UPDATE events SET recorded_at = strftime('%Y-%m-%dT%H:%M:%fZ', CAST(recorded_at AS INTEGER) / 1000.0, 'unixepoch') WHERE recorded_at NOT LIKE '%T%'",
    );
  }
}

function toRecorded(row: EventRow): RecordedEvent {
  return new SqliteRecordedEvent(row);
}
