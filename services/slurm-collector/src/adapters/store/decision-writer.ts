import { createMessage, deterministicId, type Message } from '@clocktower/contracts';
import { WrongExpectedRevisionError, type EventStore } from '@clocktower/event-store';
import type { StreamDecision } from '../../domain/event-draft.js';

/**
 * Turns decisions into stored events. Each event's id is derived from its stream, its revision and
 * its type, so deciding the same change twice (a poll retried after a crash, a replayed
 * directory) appends nothing the second time.
 */
export function toMessages(
  decision: StreamDecision,
  observedAt: string,
  correlationId: string,
): Message[] {
  return decision.events.map((event, i) =>
    createMessage(event.cls, event.data, {
      eventId: deterministicId(decision.stream, decision.revision + 1 + i, event.cls.type),
      ...(decision.cause ? { causedBy: decision.cause } : { correlationId }),
      occurredAt: observedAt,
    }),
  );
}

export type Redecide = (stream: string) => Promise<StreamDecision | undefined>;

export interface WriteOutcome {
  readonly written: StreamDecision[];
  readonly events: number;
}

/**
 * Appends every decision with its expected revision. A conflict (another writer got there first) is
 * never forced: the caller re-reads the stream and decides again from what is really there.
 */
export async function writeDecisions(
  store: EventStore,
  decisions: readonly StreamDecision[],
  observedAt: string,
  correlationId: string,
  redecide: Redecide,
  onWritten: (decision: StreamDecision) => void = () => undefined,
): Promise<WriteOutcome> {
  const written: StreamDecision[] = [];
  let events = 0;
  for (const first of decisions) {
    let decision: StreamDecision | undefined = first;
    for (let attempt = 0; decision !== undefined; attempt++) {
      const current: StreamDecision = decision;
      try {
        await store.append(current.stream, toMessages(current, observedAt, correlationId), {
          expectedRevision: current.revision === -1 ? 'no_stream' : current.revision,
        });
        written.push(current);
        onWritten(current);
        events += current.events.length;
        decision = undefined;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt === 2) throw error;
        const again = await redecide(current.stream);
        decision = again && current.cause ? { ...again, cause: current.cause } : again;
      }
    }
  }
  return { written, events };
}
