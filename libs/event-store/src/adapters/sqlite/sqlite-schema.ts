/**
 * One table; the rowid is the global position (writers are serialised by SQLite, so positions
 * commit in order and a reader never sees position N+1 before N). Metadata lives in columns, not
 * JSON, so reading an event parses one JSON document, not two.
 */
export const SCHEMA_VERSION = 1;

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
  recorded_at     INTEGER NOT NULL,
  data            TEXT    NOT NULL,
  UNIQUE (stream, revision),
  UNIQUE (event_id)
);
CREATE INDEX IF NOT EXISTS events_by_category ON events (category, position);
`;

export const EVENT_COLUMNS =
  'position, stream, revision, event_id, type, schema_version, correlation_id, causation_id, occurred_at, recorded_at, data';

export interface EventRow {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  correlation_id: string;
  causation_id: string;
  occurred_at: string;
  recorded_at: number;
  data: string;
}
