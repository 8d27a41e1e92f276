import type { ClassOf } from '../validation/parse.js';

export const MessageKind = {
  Event: 'event',
  Command: 'command',
  Query: 'query',
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

/**
 * A message class: its instances are the message's data, its statics say what it is. One class
 * per message is both the TypeScript type and the runtime check (class-validator decorators).
 */
export type MessageClass<T extends object = object> = ClassOf<T> & {
  readonly type: string;
  readonly schemaVersion: number;
  readonly kind: MessageKind;
};

/** A command or query: addressed to the one service that handles it. */
export type RequestClass<T extends object = object, R = unknown> = MessageClass<T> & {
  readonly service: string;
  /** Phantom: the reply's type, for typed request helpers. */
  readonly reply?: R;
};
