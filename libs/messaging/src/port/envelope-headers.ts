import type { Message } from '@clocktower/contracts';
import type { BusHeaders, BusMessage } from './message-bus.port.js';

/** The envelope rides in headers, the data in the body: correlation survives every hop. */
export const EnvelopeHeader = {
  Type: 'ct-type',
  SchemaVersion: 'ct-schema-version',
  MessageId: 'ct-message-id',
  CorrelationId: 'ct-correlation-id',
  CausationId: 'ct-causation-id',
  OccurredAt: 'ct-occurred-at',
} as const;

export function envelopeHeaders(message: Message): BusHeaders {
  return {
    [EnvelopeHeader.Type]: message.type,
    [EnvelopeHeader.SchemaVersion]: String(message.schemaVersion),
    [EnvelopeHeader.MessageId]: message.eventId,
    [EnvelopeHeader.CorrelationId]: message.correlationId,
    [EnvelopeHeader.CausationId]: message.causationId,
    [EnvelopeHeader.OccurredAt]: message.occurredAt,
  };
}

/** The unparsed envelope of a bus message, for MessageRegistry to validate. */
export function envelopeOf(message: BusMessage): Record<string, unknown> {
  const h = message.headers;
  const version = h[EnvelopeHeader.SchemaVersion];
  return {
    type: h[EnvelopeHeader.Type],
    schemaVersion: version === undefined ? undefined : Number(version),
    eventId: h[EnvelopeHeader.MessageId],
    correlationId: h[EnvelopeHeader.CorrelationId],
    causationId: h[EnvelopeHeader.CausationId],
    occurredAt: h[EnvelopeHeader.OccurredAt],
    data: message.data,
  };
}
