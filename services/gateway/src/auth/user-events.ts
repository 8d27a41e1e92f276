import {
  MessageRegistry,
  StreamCategory,
  USER_EVENTS,
  createMessage,
  parseAs,
  streamName,
  type Message,
  type MessageClass,
} from '@clocktower/contracts';
import type { RecordedEvent } from '@clocktower/event-store';
import type { UserEvent } from '../domain/user.decider.js';

const registry = new MessageRegistry().register(...USER_EVENTS);
const classes = new Map<string, MessageClass>(USER_EVENTS.map((cls) => [cls.type, cls]));

export function userStream(userId: string): string {
  return streamName(StreamCategory.User, userId);
}

/**
 * An event read back from a `user-…` stream, parsed (and upcast) into the decider's terms. Throws
 * ValidationFailedError naming the bad field, or an Error when the event is not in its user's
 * stream: the caller decides whether that is fatal (a write) or logged and skipped (a read model).
 */
export function toUserEvent(recorded: RecordedEvent): UserEvent & { occurredAt: string } {
  const message = registry.parse(recorded, `event ${recorded.stream}@${recorded.revision}`);
  const event = { type: message.type, data: message.data, occurredAt: message.occurredAt };
  const userId = (message.data as { userId: string }).userId;
  if (recorded.stream !== userStream(userId)) {
    throw new Error(
      `event ${recorded.stream}@${recorded.revision} is about user ${userId}, not this stream's`,
    );
  }
  return event as UserEvent & { occurredAt: string };
}

/**
 * Envelopes for decided events, each checked against its contract class first: a value that would
 * make an unreadable event (a slurm user with a space, from the CLI say) fails here, naming the
 * field, and nothing is written.
 */
export function toMessages(events: readonly UserEvent[], correlationId: string): Message[] {
  return events.map((event) => {
    const cls = classes.get(event.type)!;
    parseAs(cls, event.data, event.type, { rejectUnknown: true });
    return createMessage(cls, event.data, { correlationId });
  });
}
