import type { ExpectedRevision } from './event-store.port.js';

export class EventStoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The stream was not at the expected revision: nothing was written. Re-read and decide again. */
export class WrongExpectedRevisionError extends EventStoreError {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: number | 'no_stream',
    options?: ErrorOptions,
  ) {
    super(
      'WRONG_EXPECTED_REVISION',
      `append to ${stream} expected revision ${String(expected)} but the stream is at ${String(actual)}`,
      options,
    );
  }
}

/** Some, not all, of an append's event ids are already in the stream: neither a retry nor new. */
export class DuplicateEventIdError extends EventStoreError {
  constructor(
    readonly stream: string,
    readonly eventId: string,
    options?: ErrorOptions,
  ) {
    super(
      'DUPLICATE_EVENT_ID',
      `event id ${eventId} is already stored (append to ${stream})`,
      options,
    );
  }
}

/** The store cannot be opened or used: a corrupt or locked file, an unreachable server. */
export class EventStoreUnavailableError extends EventStoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('EVENT_STORE_UNAVAILABLE', message, options);
  }
}

/** The append was refused as malformed (an empty stream name, data that is not an object). */
export class InvalidAppendError extends EventStoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_APPEND', message, options);
  }
}
