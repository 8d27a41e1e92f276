export {
  ExpectedRevision,
  type AppendOptions,
  type AppendResult,
  type EventHandler,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from './port/event-store.port.js';
export {
  EventStoreError,
  WrongExpectedRevisionError,
  DuplicateEventIdError,
  EventStoreUnavailableError,
  InvalidAppendError,
} from './port/event-store.errors.js';
export { InMemoryEventStore } from './adapters/memory/memory-event-store.js';
export {
  SqliteEventStore,
  DEFAULT_BUSY_TIMEOUT_MS,
  type SqliteEventStoreOptions,
} from './adapters/sqlite/sqlite-event-store.js';
export {
  CheckpointConflictError,
  type Checkpoint,
  type CheckpointStore,
} from './checkpoints/checkpoint-store.port.js';
export { InMemoryCheckpointStore } from './checkpoints/memory-checkpoint-store.js';
export { SqliteCheckpointStore } from './checkpoints/sqlite-checkpoint-store.js';
export { CREATE_SCHEMA as SQLITE_EVENT_STORE_SCHEMA } from './adapters/sqlite/sqlite-schema.js';
