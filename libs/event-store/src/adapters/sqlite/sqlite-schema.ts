/**
 * One table; the rowid is the global position (writers are serialised by SQLite, so positions
 * commit in order and a reader never sees position N+1 before N). Metadata lives in columns, not
 * JSON, so reading an event parses one JSON document, not two; recorded_at is ISO text, so reading
 * converts no dates.
 */
/** 1: first release; 2: recorded_at as ISO text (migrated on open). */
export const SCHEMA_VERSION = 2;

export const CREATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position        INTEGER PRIMARY KEY,
  stream          TEXT    NOT NULL,
  category        TEXT    NOT NULL,
  revision        INTEGER NOT NULL,
  event_id        TEXT    NOT NULL,
  type            TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  correlation_id  TEXT    NOT NULL,
  causation_id    TEXT    NOT NULL,
  occurred_at     TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL,
  data            TEXT    NOT NULL,
  UNIQUE (stream, revision),
  UNIQUE (event_id)
);
CREATE INDEX IF NOT EXISTS events_by_category ON events (category, position);
`;

export const EVENT_COLUMNS =
  'position, stream, revision, event_id, type, schema_version, correlation_id, causation_id, occurred_at, recorded_at, data';

/** A row as better-sqlite3 returns it in raw mode: the columns of EVENT_COLUMNS, in order. */
export type EventRow = [
  position: number,
  stream: string,
  revision: number,
  eventId: string,
  type: string,
  schemaVersion: number,
  correlationId: string,
  causationId: string,
  occurredAt: string,
  recordedAt: string,
  data: string,
];
