import { EventStoreUnavailableError } from '../../port/event-store.errors.js';

function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** Turns better-sqlite3's vendor errors about the file itself into the port's error, with advice. */
export function translateSqliteError(error: unknown, file: string): unknown {
  const code = sqliteCode(error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new EventStoreUnavailableError(
      `SQLite file ${file} is locked by another process; stop it, or point CLOCKTOWER_DATA at another directory`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new EventStoreUnavailableError(
      `SQLite file ${file} is not a valid Clocktower event store (corrupt or another kind of file); restore it from a backup or move it away`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new EventStoreUnavailableError(
      `SQLite file ${file} cannot be opened for writing (${code}); check the path and its permissions`,
      { cause: error },
    );
  }
  return error;
}

export function isUniqueViolation(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
