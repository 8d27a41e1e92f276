/** Lifts the data of one schema version to the next. Pure: no I/O, no clock. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

export class UpcastError extends Error {
  readonly code = 'UPCAST_FAILED';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UpcastError';
  }
}

/**
 * Events are never edited once stored: a new shape is a new schemaVersion plus an upcaster from the
 * previous one. Reading lifts old data step by step (v1 → v2 → v3) so the rest of the code only
 * ever sees the newest shape.
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcaster>();

  register(type: string, fromVersion: number, upcaster: Upcaster): this {
    const key = `${type}@${fromVersion}`;
    if (this.steps.has(key)) {
      throw new UpcastError(`an upcaster for ${type} v${fromVersion} is already registered`);
    }
    this.steps.set(key, upcaster);
    return this;
  }

  upcast(
    type: string,
    fromVersion: number,
    toVersion: number,
    data: Record<string, unknown>,
  ): Record<string, unknown> {
    if (fromVersion > toVersion) {
      throw new UpcastError(
        `${type} v${fromVersion} is newer than this build knows (v${toVersion}): upgrade this service`,
      );
    }
    let current = data;
    for (let version = fromVersion; version < toVersion; version++) {
      const step = this.steps.get(`${type}@${version}`);
      if (!step) {
        throw new UpcastError(
          `no upcaster registered for ${type} from v${version} to v${version + 1}`,
        );
      }
      try {
        current = step(current);
      } catch (cause) {
        throw new UpcastError(`upcasting ${type} from v${version} failed`, { cause });
      }
    }
    return current;
  }
}
