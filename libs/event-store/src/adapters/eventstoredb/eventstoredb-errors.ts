import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { ExpectedRevision } from '../../port/event-store.port.js';
import {
  EventStoreError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../port/event-store.errors.js';

/** An event in EventStoreDB that this adapter cannot turn into a RecordedEvent (not written by Clocktower, or a too old server). */
export class UnreadableEventError extends EventStoreError {
  constructor(
    readonly stream: string,
    readonly revision: number,
    reason: string,
  ) {
    super(
      'UNREADABLE_EVENT',
      `event ${String(revision)} of EventStoreDB stream ${stream} cannot be read: ${reason}`,
    );
  }
}

/** The stream was hard-deleted (tombstoned) in EventStoreDB: it can never be written again. */
export class StreamTombstonedError extends EventStoreError {
  constructor(
    readonly stream: string,
    options?: ErrorOptions,
  ) {
    super(
      'STREAM_DELETED',
      `EventStoreDB stream ${stream} is deleted (tombstoned); it cannot be appended to again`,
      options,
    );
  }
}

/** The connection string without its password, fit for a log line or an error message. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/\/\/([^:@/?]+):([^@/?]*)@/, '//$1:***@');
}

// gRPC status codes that mean "could not talk to the server" when the client did not wrap them:
// its capability probe (the first call on a connection) rejects with the raw ServiceError.
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNIMPLEMENTED = 12;
const GRPC_UNAVAILABLE = 14;

function grpcCode(error: unknown): number | undefined {
  return typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'number'
    ? error.code
    : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isStreamNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError;
}

/** Turns the client's vendor errors about the connection into the port's error, with advice. */
export function translateConnectionError(error: unknown, url: string): unknown {
  const code = grpcCode(error);
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof CancelledError ||
    code === GRPC_UNAVAILABLE ||
    code === GRPC_DEADLINE_EXCEEDED ||
    (error instanceof Error && /^Failed to discover/.test(error.message))
  ) {
    return new EventStoreUnavailableError(
      `EventStoreDB at ${url} is unreachable (${messageOf(error)}); start the server, or fix the connection string ` +
        `(host, port 2113, and ?tls=false for a server started with EVENTSTORE_INSECURE=true)`,
      { cause: error },
    );
  }
  if (code === GRPC_UNIMPLEMENTED) {
    // Something answered, but not EventStoreDB's gRPC API: a web server or proxy on that port.
    return new EventStoreUnavailableError(
      `${url} does not answer as EventStoreDB (${messageOf(error)}); check the host and port (2113 by default) and that the server is EventStoreDB 22.10 or later`,
      { cause: error },
    );
  }
  if (error instanceof AccessDeniedError) {
    return new EventStoreUnavailableError(
      `EventStoreDB at ${url} denied access (${messageOf(error)}); put a user allowed to read $all and write streams in the connection string (esdb://user:password@host:2113)`,
      { cause: error },
    );
  }
  if (error instanceof NotLeaderError) {
    return new EventStoreUnavailableError(
      `EventStoreDB at ${url} is not the cluster leader; connect to the cluster (esdb+discover://…) or add nodePreference=leader`,
      { cause: error },
    );
  }
  return error;
}

/** As translateConnectionError, plus what an append can run into. */
export function translateAppendError(
  error: unknown,
  stream: string,
  expected: ExpectedRevision,
  url: string,
): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion === 'no_stream' ? 'no_stream' : Number(error.actualVersion);
    return new WrongExpectedRevisionError(stream, expected, actual, { cause: error });
  }
  if (error instanceof StreamDeletedError) {
    return new StreamTombstonedError(stream, { cause: error });
  }
  return translateConnectionError(error, url);
}
