import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { envKeysOf } from './env.decorators.js';

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(readonly problems: readonly { readonly key: string; readonly problem: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.key}: ${p.problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses and validates configuration once, at start. Every problem names its key and the value it
 * got; defaults are the class's field initialisers. The only place a service reads its
 * environment is the `source` handed in by main.ts.
 */
export function parseConfig<T extends object>(
  cls: new () => T,
  source: Readonly<Record<string, string | undefined>>,
): T {
  const keys = envKeysOf(cls);
  const present = Object.fromEntries(
    [...keys.values()]
      .filter((k) => source[k] !== undefined && source[k] !== '')
      .map((k) => [k, source[k]]),
  );
  const config = plainToInstance(cls, present, {
    excludeExtraneousValues: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => {
        const key = keys.get(e.property) ?? e.property;
        const got = source[key];
        const problem = Object.values(e.constraints ?? {}).join(', ') || 'is invalid';
        return {
          key,
          problem: got === undefined ? problem : `${problem} (got ${JSON.stringify(got)})`,
        };
      }),
    );
  }
  return config;
}
