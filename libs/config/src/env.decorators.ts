import 'reflect-metadata';
import { Expose, Transform } from 'class-transformer';
import { applyDecorators } from './apply-decorators.js';

const ENV_KEYS = Symbol('clocktower:env-keys');

/** Binds a config property to an environment variable (or any string-keyed source). */
export function EnvKey(key: string): PropertyDecorator {
  return (target, property) => {
    const keys =
      (Reflect.getMetadata(ENV_KEYS, target) as Map<string, string> | undefined) ??
      new Map<string, string>();
    keys.set(String(property), key);
    Reflect.defineMetadata(ENV_KEYS, keys, target);
    Expose({ name: key })(target, property);
  };
}

export function envKeysOf(cls: object): ReadonlyMap<string, string> {
  return (
    (Reflect.getMetadata(ENV_KEYS, (cls as { prototype: object }).prototype) as
      Map<string, string> | undefined) ?? new Map()
  );
}

// Environment values are strings: these turn them into what the property declares, and leave
// anything unparseable as it is so the validator names the key with the bad value.
const toNumber = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
    ? Number(value)
    : value,
);
const toBoolean = Transform(({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  return ['1', 'true', 'yes', 'on'].includes(v)
    ? true
    : ['0', 'false', 'no', 'off'].includes(v)
      ? false
      : value;
});
const toList = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value,
);

export const EnvNumber = (key: string): PropertyDecorator => applyDecorators(EnvKey(key), toNumber);
export const EnvBoolean = (key: string): PropertyDecorator =>
  applyDecorators(EnvKey(key), toBoolean);
export const EnvList = (key: string): PropertyDecorator => applyDecorators(EnvKey(key), toList);
