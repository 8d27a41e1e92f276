import { randomUUID } from 'node:crypto';
import { isISO8601, isObject } from 'class-validator';
import type { MessageClass } from './message-class.js';
import { ValidationFailedError, type FieldIssue } from '../validation/validation-failed.error.js';

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

/** An envelope as it arrives, its data not parsed yet. */
export type EnvelopeShape = Omit<Message, 'data'> & { readonly data: object };

/**
 * Checks an envelope's fields, or throws ValidationFailedError naming each bad one in
 * class-validator's words, as for the data. Written out rather than declared with decorators:
 * every message on the bus passes here, and class-validator's generic walk (with class-transformer)
 * was about 5% of job-projection's CPU samples under load (bench/README.md, `gateway.jobs-api`).
 */
export function checkEnvelope(input: unknown, what: string): EnvelopeShape {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationFailedError(what, [{ path: '', problems: ['must be a JSON object'] }]);
  }
  const envelope = input as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const field = (path: string, problems: (string | false)[]): void => {
    const found = problems.filter((problem) => problem !== false);
    if (found.length > 0) issues.push({ path, problems: found });
  };
  const text = (path: string): void => {
    const value = envelope[path];
    field(path, [
      (value === '' || value === null || value === undefined) && `${path} should not be empty`,
      typeof value !== 'string' && `${path} must be a string`,
    ]);
  };
  const version = envelope['schemaVersion'];
  text('type');
  field('schemaVersion', [
    !(typeof version === 'number' && version >= 1) && 'schemaVersion must not be less than 1',
    !Number.isInteger(version) && 'schemaVersion must be an integer number',
  ]);
  text('eventId');
  text('correlationId');
  text('causationId');
  field('occurredAt', [
    !isISO8601(envelope['occurredAt'], { strict: true }) &&
      'occurredAt must be a valid ISO 8601 date string',
  ]);
  field('data', [!isObject(envelope['data']) && 'data must be an object']);
  if (issues.length > 0) throw new ValidationFailedError(what, issues);
  return envelope as EnvelopeShape;
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
