import { deterministicId, type Message } from '@clocktower/contracts';
import type { JSONEventData, RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { RecordedEvent } from '../../port/event-store.port.js';
import { encodePosition, isKnownPosition } from './eventstoredb-position.js';
import { UnreadableEventError } from './eventstoredb-errors.js';

/**
 * The envelope lives in the event's metadata, as JSON. `$correlationId` and `$causationId` are
 * EventStoreDB's own conventional keys (its `$by_correlation_id` projection and its UI link chains
 * by them); the plain keys are ours and are what this adapter reads back first.
 */
export interface EnvelopeMetadata {
  readonly [key: string]: string | number;
  readonly eventId: string;
  readonly schemaVersion: number;
  readonly correlationId: string;
  readonly causationId: string;
  readonly occurredAt: string;
  readonly $correlationId: string;
  readonly $causationId: string;
}

/** Where an event sits, and under which of our ids: what the idempotency checks compare. */
export interface StoredRef {
  readonly eventId: string;
  readonly revision: number;
  readonly position: bigint;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * EventStoreDB needs a UUID per event. Clocktower's ids are UUID-shaped (random or deterministic),
 * and are then used as they are, so EventStoreDB's own duplicate detection sees the same id on a
 * retry; any other id maps to a UUID derived from it, the same one every time.
 */
export function esdbEventId(eventId: string): string {
  return UUID.test(eventId) ? eventId : deterministicId('clocktower-event-id', eventId);
}

export function toEventData(event: Message): JSONEventData {
  const metadata: EnvelopeMetadata = {
    eventId: event.eventId,
    schemaVersion: event.schemaVersion,
    correlationId: event.correlationId,
    causationId: event.causationId,
    occurredAt: event.occurredAt,
    $correlationId: event.correlationId,
    $causationId: event.causationId,
  };
  return {
    id: esdbEventId(event.eventId),
    contentType: 'application/json',
    type: event.type,
    // validateAppend has checked that data is a plain object; the client serialises it.
    data: event.data as Record<string, unknown>,
    metadata,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

function text(metadata: Record<string, unknown>, key: string): string | undefined {
  const value = metadata[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function metadataOf(event: EsdbRecordedEvent): Record<string, unknown> {
  return isRecord(event.metadata) ? event.metadata : {};
}

/** Our event id: the one in the metadata, or EventStoreDB's for an event written by another tool. */
export function storedEventId(event: EsdbRecordedEvent): string {
  return text(metadataOf(event), 'eventId') ?? event.id;
}

export function positionOf(event: EsdbRecordedEvent): bigint {
  if (!isKnownPosition(event.position)) {
    throw new UnreadableEventError(
      event.streamId,
      Number(event.revision),
      'the server sent no log position (EventStoreDB before 22.10 does not on stream reads); upgrade the server',
    );
  }
  return encodePosition(event.position);
}

export function toStoredRef(event: EsdbRecordedEvent): StoredRef {
  return {
    eventId: storedEventId(event),
    revision: Number(event.revision),
    position: positionOf(event),
  };
}

/**
 * Parses an event read back. Metadata that another writer left out falls back to what EventStoreDB
 * knows (its id, its `$correlationId`/`$causationId`, the time it stored the event); data that is
 * not a JSON object cannot become a Clocktower event and fails with a clear error instead.
 */
export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.isJson || !isRecord(event.data)) {
    throw new UnreadableEventError(
      event.streamId,
      Number(event.revision),
      `its data (type ${event.type}) is not a JSON object`,
    );
  }
  const metadata = metadataOf(event);
  const eventId = text(metadata, 'eventId') ?? event.id;
  const correlationId =
    text(metadata, 'correlationId') ?? text(metadata, '$correlationId') ?? eventId;
  const schemaVersion = metadata['schemaVersion'];
  const recordedAt = event.created.toISOString();
  return {
    type: event.type,
    schemaVersion:
      typeof schemaVersion === 'number' && Number.isInteger(schemaVersion) && schemaVersion >= 1
        ? schemaVersion
        : 1,
    eventId,
    correlationId,
    causationId: text(metadata, 'causationId') ?? text(metadata, '$causationId') ?? correlationId,
    occurredAt: text(metadata, 'occurredAt') ?? recordedAt,
    data: event.data,
    stream: event.streamId,
    revision: Number(event.revision),
    position: positionOf(event),
    recordedAt,
  };
}
