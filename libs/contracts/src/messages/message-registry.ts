import { checkEnvelope, type EnvelopeShape, type Message } from './envelope.js';
import { MessageKind, type MessageClass } from './message-class.js';
import { UpcasterRegistry } from './upcaster-registry.js';
import { parseAs, type ParseOptions } from '../validation/parse.js';
import { ParseCache } from '../validation/parse-cache.js';
import { ValidationFailedError } from '../validation/validation-failed.error.js';

/**
 * Knows every message class by its `type` and lifts old schema versions: the single way unknown
 * input (a NATS payload, an event read back from the store) becomes a typed message.
 */
export class MessageRegistry {
  private readonly classes = new Map<string, MessageClass>();
  /** Queries' data (filters, never secrets) parsed before: a query repeats, a command rarely. */
  private readonly queries = new ParseCache();

  constructor(readonly upcasters: UpcasterRegistry = new UpcasterRegistry()) {}

  register(...classes: MessageClass[]): this {
    for (const cls of classes) {
      const known = this.classes.get(cls.type);
      if (known && known !== cls) {
        throw new Error(`two message classes claim the type ${cls.type}`);
      }
      this.classes.set(cls.type, cls);
    }
    return this;
  }

  classOf(type: string): MessageClass | undefined {
    return this.classes.get(type);
  }

  /** Parses a whole envelope whose `type` must be registered. */
  parse(input: unknown, what = 'message', options?: ParseOptions): Message {
    const envelope = checkEnvelope(input, what);
    const cls = this.classes.get(envelope.type);
    if (!cls) {
      throw new ValidationFailedError(what, [
        { path: 'type', problems: [`unknown message type ${JSON.stringify(envelope.type)}`] },
      ]);
    }
    return this.parseEnvelope(cls, envelope, what, options);
  }

  /** Parses a whole envelope that must be of `cls`. */
  parseOf<T extends object>(
    cls: MessageClass<T>,
    input: unknown,
    options?: ParseOptions,
  ): Message<T> {
    const envelope = checkEnvelope(input, cls.type);
    if (envelope.type !== cls.type) {
      throw new ValidationFailedError(cls.type, [
        { path: 'type', problems: [`expected ${cls.type}, got ${JSON.stringify(envelope.type)}`] },
      ]);
    }
    return this.parseEnvelope(cls, envelope, cls.type, options);
  }

  /** Parses only the data of `cls` at `schemaVersion` (upcast first when older). */
  parseData<T extends object>(
    cls: MessageClass<T>,
    data: unknown,
    schemaVersion = cls.schemaVersion,
    options?: ParseOptions,
  ): T {
    const lifted =
      schemaVersion === cls.schemaVersion || typeof data !== 'object' || data === null
        ? data
        : this.upcasters.upcast(
            cls.type,
            schemaVersion,
            cls.schemaVersion,
            data as Record<string, unknown>,
          );
    const parse = () => parseAs(cls, lifted, cls.type, options);
    if (cls.kind !== MessageKind.Query || typeof lifted !== 'object' || lifted === null)
      return parse();
    const key = `${schemaVersion}\u0000${options?.rejectUnknown === true}\u0000${JSON.stringify(lifted)}`;
    return this.queries.get(cls, key, parse);
  }

  private parseEnvelope<T extends object>(
    cls: MessageClass<T>,
    envelope: EnvelopeShape,
    what: string,
    options?: ParseOptions,
  ): Message<T> {
    let data: T;
    try {
      data = this.parseData(cls, envelope.data, envelope.schemaVersion, options);
    } catch (error) {
      if (error instanceof ValidationFailedError) {
        throw new ValidationFailedError(
          what,
          error.issues.map((i) => ({ ...i, path: i.path ? `data.${i.path}` : 'data' })),
          { cause: error },
        );
      }
      throw error;
    }
    return {
      type: envelope.type,
      schemaVersion: cls.schemaVersion,
      eventId: envelope.eventId,
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
      occurredAt: envelope.occurredAt,
      data,
    };
  }
}
