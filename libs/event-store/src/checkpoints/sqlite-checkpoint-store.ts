import Database from 'better-sqlite3';
import {
  CheckpointConflictError,
  type Checkpoint,
  type CheckpointStore,
} from './checkpoint-store.port.js';
import { translateSqliteError } from '../adapters/sqlite/sqlite-errors.js';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../adapters/sqlite/sqlite-event-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS checkpoints (
  name       TEXT PRIMARY KEY,
  position   TEXT NOT NULL,
  version    INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Checkpoints in a SQLite file (the event store's own file is fine: it is its own table). */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], { position: string; version: number }>;
  private readonly insert: Database.Statement<[string, string, number]>;
  private readonly update: Database.Statement<[string, number, string, number]>;

  constructor(
    private readonly file: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    try {
      this.db = new Database(file, { timeout: DEFAULT_BUSY_TIMEOUT_MS });
      this.db.pragma('journal_mode = WAL');
      this.db.exec(SCHEMA);
    } catch (error) {
      throw translateSqliteError(error, file);
    }
    this.select = this.db.prepare('SELECT position, version FROM checkpoints WHERE name = ?');
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO checkpoints (name, position, version, updated_at) VALUES (?, ?, 1, ?)',
    );
    this.update = this.db.prepare(
      'UPDATE checkpoints SET position = ?, version = version + 1, updated_at = ? WHERE name = ? AND version = ?',
    );
  }

  load(name: string): Promise<Checkpoint | null> {
    const row = this.select.get(name);
    return Promise.resolve(row ? { position: BigInt(row.position), version: row.version } : null);
  }

  compareAndSet(name: string, expectedVersion: number | null, position: bigint): Promise<number> {
    const now = this.clock().getTime();
    // One statement each way: the WHERE clause is the compare, so no transaction is needed.
    const changed =
      expectedVersion === null
        ? this.insert.run(name, position.toString(), now).changes
        : this.update.run(position.toString(), now, name, expectedVersion).changes;
    if (changed === 1) return Promise.resolve((expectedVersion ?? 0) + 1);
    return Promise.reject(
      new CheckpointConflictError(name, expectedVersion, this.select.get(name)?.version ?? null),
    );
  }

  close(): void {
    this.db.close();
  }
}
