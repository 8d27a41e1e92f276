import type { MessageClass } from '@clocktower/contracts';

/**
 * An event the domain decided on, before it gets its envelope. `key` makes its id deterministic:
 * the same observation decided twice (a retried poll, a replayed directory) yields the same id,
 * so the second append is a no-op.
 */
export interface EventDraft<T extends object = object> {
  readonly cls: MessageClass<T>;
  readonly data: T;
}

/** The events one stream gets from one observation, and the revision they were decided against. */
export interface StreamDecision {
  readonly stream: string;
  /** The stream's revision when decided: -1 for a new stream. */
  readonly revision: number;
  readonly events: readonly EventDraft[];
  /** The command this change answers (a cancel, a submit): its chain continues in these events. */
  readonly cause?: { readonly eventId: string; readonly correlationId: string };
}

export function draft<T extends object>(cls: MessageClass<T>, data: T): EventDraft {
  return { cls, data };
}
