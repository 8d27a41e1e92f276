import type { Message } from '@clocktower/contracts';
import type { AppendResult, ExpectedRevision, RecordedEvent } from './event-store.port.js';
import {
  DuplicateEventIdError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from './event-store.errors.js';

/** The rules every adapter applies the same way; `current` is the stream's last revision or -1. */
export function checkExpectedRevision(
  stream: string,
  expected: ExpectedRevision,
  current: number,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === -1) ||
    (expected === 'stream_exists' && current >= 0) ||
    (typeof expected === 'number' && expected === current);
  if (!ok) {
    throw new WrongExpectedRevisionError(stream, expected, current === -1 ? 'no_stream' : current);
  }
}

export function validateAppend(stream: string, events: readonly Message[]): void {
  if (typeof stream !== 'string' || stream.length === 0) {
    throw new InvalidAppendError('stream name must be a non-empty string');
  }
  if (events.length === 0) {
    throw new InvalidAppendError(`append to ${stream} has no events`);
  }
  const seen = new Set<string>();
  for (const event of events) {
    if (!event.eventId || !event.type) {
      throw new InvalidAppendError(`append to ${stream}: every event needs an eventId and a type`);
    }
    if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
      throw new InvalidAppendError(`append to ${stream}: data of ${event.type} must be an object`);
    }
    if (seen.has(event.eventId)) {
      throw new InvalidAppendError(`append to ${stream} repeats event id ${event.eventId}`);
    }
    seen.add(event.eventId);
  }
}

/**
 * Given the already stored events whose ids match the append's first event onwards, decides
 * whether the append is a retry (all there, same order → the original result) or a clash.
 */
export function idempotentResult(
  stream: string,
  events: readonly Message[],
  stored: readonly Pick<RecordedEvent, 'eventId' | 'revision' | 'position'>[],
): AppendResult {
  for (let i = 0; i < events.length; i++) {
    const want = events[i]!;
    const got = stored[i];
    if (!got || got.eventId !== want.eventId) {
      throw new DuplicateEventIdError(stream, got ? got.eventId : want.eventId);
    }
  }
  const last = stored[events.length - 1]!;
  return { nextExpectedRevision: last.revision, position: last.position };
}
