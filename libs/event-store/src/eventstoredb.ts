/**
 * The EventStoreDB adapter, apart from the package's main entry: its client (gRPC, protobuf) is
 * about 7.5 MB of heap that a service on SQLite, the default, never needs. openEventStore imports
 * it only when the configuration names EventStoreDB.
 */
export {
  EventStoreDbEventStore,
  DEFAULT_IDEMPOTENCY_WINDOW,
  type EventStoreDbEventStoreOptions,
} from './adapters/eventstoredb/eventstoredb-event-store.js';
export {
  UnreadableEventError,
  StreamTombstonedError,
} from './adapters/eventstoredb/eventstoredb-errors.js';
export {
  encodePosition as encodeEventStoreDbPosition,
  decodePosition as decodeEventStoreDbPosition,
} from './adapters/eventstoredb/eventstoredb-position.js';
