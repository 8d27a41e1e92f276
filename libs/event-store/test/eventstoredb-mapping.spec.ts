import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import {
  decodePosition,
  encodePosition,
  isKnownPosition,
} from '../src/adapters/eventstoredb/eventstoredb-position.js';
import {
  esdbEventId,
  toEventData,
  toRecordedEvent,
} from '../src/adapters/eventstoredb/eventstoredb-event-data.js';
import { redactConnectionString } from '../src/adapters/eventstoredb/eventstoredb-errors.js';
import { UnreadableEventError } from '../src/eventstoredb.js';
import { testEvent } from './event-store.contract.js';

const U64_MAX = (1n << 64n) - 1n;

function stored(
  overrides: Partial<Record<keyof EsdbRecordedEvent, unknown>> = {},
): EsdbRecordedEvent {
  return {
    streamId: 'job-lab-1',
    id: '3f1c1a52-4a53-4a0e-9a51-0c2f4b7d9e10',
    isJson: true,
    revision: 4n,
    type: 'JobStateChanged',
    created: new Date('2026-11-21T10:11:12.345Z'),
    data: { state: 'RUNNING' },
    metadata: undefined,
    position: { commit: 1234n, prepare: 1234n },
    ...overrides,
  } as EsdbRecordedEvent;
}

describe('eventstoredb positions', () => {
  it('packs commit and prepare into one bigint that sorts as $all does, and unpacks it again', () => {
    const inAllOrder = [
      { commit: 1n, prepare: 1n },
      { commit: 1n, prepare: U64_MAX - 1n },
      { commit: 2n, prepare: 0n },
      { commit: 2n, prepare: 1n },
      { commit: 5_000_000_000n, prepare: 4_999_999_000n },
      { commit: U64_MAX, prepare: U64_MAX },
    ];
    const packed = inAllOrder.map(encodePosition);
    expect([...packed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(packed);
    expect(new Set(packed).size).toBe(packed.length);
    expect(packed.map(decodePosition)).toEqual(inAllOrder);
  });

  it('refuses what is not a pair of unsigned 64-bit offsets', () => {
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => encodePosition({ commit: 0n, prepare: U64_MAX + 1n })).toThrow(RangeError);
    expect(() => decodePosition(-5n)).toThrow(RangeError);
    expect(() => decodePosition(1n << 128n)).toThrow(RangeError);
  });

  it('tells a real position from the placeholders old servers send', () => {
    expect(isKnownPosition({ commit: 10n, prepare: 10n })).toBe(true);
    expect(isKnownPosition(undefined)).toBe(false);
    expect(isKnownPosition({ commit: 0n, prepare: 0n })).toBe(false);
    expect(isKnownPosition({ commit: U64_MAX, prepare: U64_MAX })).toBe(false);
  });
});

describe('eventstoredb event mapping', () => {
  it('writes the envelope into metadata under our keys and EventStoreDB conventional $ keys', () => {
    const event = testEvent(7, { causationId: 'cause-1', occurredAt: '2026-01-02T03:04:05.006Z' });
    const data = toEventData(event);
    expect(data).toEqual({
      id: event.eventId,
      contentType: 'application/json',
      type: 'TestEventHappened',
      data: { n: 7 },
      metadata: {
        eventId: event.eventId,
        schemaVersion: 1,
        correlationId: 'corr-7',
        causationId: 'cause-1',
        occurredAt: '2026-01-02T03:04:05.006Z',
        $correlationId: 'corr-7',
        $causationId: 'cause-1',
      },
    });
  });

  it('gives an event id that is no UUID the same derived UUID every time', () => {
    expect(esdbEventId('job-lab-1234-RUNNING')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(esdbEventId('job-lab-1234-RUNNING')).toBe(esdbEventId('job-lab-1234-RUNNING'));
    expect(esdbEventId('job-lab-1234-RUNNING')).not.toBe(esdbEventId('job-lab-1234-PENDING'));
  });

  it('reads back what it wrote, with our id even when EventStoreDB holds a derived one', () => {
    const event = testEvent(3, { eventId: 'not-a-uuid', causationId: 'cause-3' });
    const written = toEventData(event);
    const read = toRecordedEvent(
      stored({
        id: written.id,
        type: written.type,
        data: written.data,
        metadata: written.metadata,
      }),
    );
    expect(read).toEqual({
      type: 'TestEventHappened',
      schemaVersion: 1,
      eventId: 'not-a-uuid',
      correlationId: 'corr-3',
      causationId: 'cause-3',
      occurredAt: event.occurredAt,
      data: { n: 3 },
      stream: 'job-lab-1',
      revision: 4,
      position: encodePosition({ commit: 1234n, prepare: 1234n }),
      recordedAt: '2026-11-21T10:11:12.345Z',
    });
  });

  it("falls back to EventStoreDB's own id, $ keys and creation time for an event another writer stored", () => {
    const read = toRecordedEvent(
      stored({ metadata: { $correlationId: 'c-9', $causationId: 'k-9' } }),
    );
    expect(read).toMatchObject({
      eventId: '3f1c1a52-4a53-4a0e-9a51-0c2f4b7d9e10',
      schemaVersion: 1,
      correlationId: 'c-9',
      causationId: 'k-9',
      occurredAt: '2026-11-21T10:11:12.345Z',
    });
  });

  it('refuses an event whose data is not a JSON object, and one without a position, naming the stream', () => {
    expect(() => toRecordedEvent(stored({ isJson: false, data: new Uint8Array([1, 2]) }))).toThrow(
      UnreadableEventError,
    );
    expect(() => toRecordedEvent(stored({ data: [1, 2] }))).toThrow(
      /event 4 of EventStoreDB stream job-lab-1 cannot be read/,
    );
    expect(() => toRecordedEvent(stored({ position: undefined }))).toThrow(/no log position/);
  });

  it('redacts the password of a connection string and nothing else', () => {
    expect(redactConnectionString('esdb://admin:changeit@db1:2113,db2:2113?tls=true')).toBe(
      'esdb://admin:***@db1:2113,db2:2113?tls=true',
    );
    expect(redactConnectionString('esdb://127.0.0.1:2113?tls=false')).toBe(
      'esdb://127.0.0.1:2113?tls=false',
    );
  });
});
