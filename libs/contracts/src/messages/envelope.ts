import { randomUUID } from 'node:crypto';
import { IsInt, IsISO8601, IsNotEmpty, IsObject, IsString, Min } from 'class-validator';
import type { MessageClass } from './message-class.js';

/** The envelope every message travels in: over the bus and into the store. */
export interface Message<T extends object = object> {
  readonly type: string;
  readonly schemaVersion: number;
  /** Deterministic where the same observation can be made twice, so a retried append is a no-op. */
  readonly eventId: string;
  /** The whole chain: a user's cancel → the orchestrator's command → scancel → JobStateChanged. */
  readonly correlationId: string;
  /** The id of the message that directly caused this one (its own id for a chain's first). */
  readonly causationId: string;
  /** When Clocktower made or observed it (ISO 8601). Slurm's own timestamps live in the data. */
  readonly occurredAt: string;
  readonly data: T;
}

export class EnvelopeShape {
  @IsString() @IsNotEmpty() type!: string;
  @IsInt() @Min(1) schemaVersion!: number;
  @IsString() @IsNotEmpty() eventId!: string;
  @IsString() @IsNotEmpty() correlationId!: string;
  @IsString() @IsNotEmpty() causationId!: string;
  @IsISO8601({ strict: true }) occurredAt!: string;
  @IsObject() data!: object;
}

export interface CreateMessageOptions {
  readonly eventId?: string;
  /** The message this one answers to: its correlation id is carried on, its id becomes the cause. */
  readonly causedBy?: Pick<Message, 'eventId' | 'correlationId'>;
  readonly correlationId?: string;
  readonly occurredAt?: Date | string;
}

export function createMessage<T extends object>(
  cls: MessageClass<T>,
  data: T,
  options: CreateMessageOptions = {},
): Message<T> {
  const eventId = options.eventId ?? randomUUID();
  const correlationId = options.causedBy?.correlationId ?? options.correlationId ?? eventId;
  const causationId = options.causedBy?.eventId ?? correlationId;
  const occurredAt =
    options.occurredAt instanceof Date
      ? options.occurredAt.toISOString()
      : (options.occurredAt ?? new Date().toISOString());
  return {
    type: cls.type,
    schemaVersion: cls.schemaVersion,
    eventId,
    correlationId,
    causationId,
    occurredAt,
    data,
  };
}
