import { Transform } from 'class-transformer';
import { JOB_STATE_GROUPS } from '@clocktower/contracts';

/**
 * A query string gives strings (or, for a repeated key, a list of them); these turn them into what
 * the DTO declares before class-validator looks. A value that does not convert is passed on as it
 * is, so the validator names the field instead of the converter failing silently.
 */

const INTEGER = /^-?[0-9]{1,15}$/;

/** `limit=50` → 50. */
export function IntParam(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && INTEGER.test(value) ? Number(value) : value,
  );
}

function splitList(value: unknown, normalize: (item: string) => string): unknown {
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (!values.every((v) => typeof v === 'string')) return value;
  const out: string[] = [];
  for (const v of values) {
    for (const part of v.split(',')) {
      const item = part.trim();
      // An empty item is kept so `state=` or `state=a,,b` fails validation, never means "any".
      out.push(item === '' ? item : normalize(item));
    }
  }
  return out;
}

/** `jobIds=1,2&jobIds=3` → ['1', '2', '3']: comma-separated, repeatable. */
export function CommaList(normalize: (item: string) => string = (item) => item): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => splitList(value, normalize));
}

/** Slurm states are capitals; a group name (`pending`, `failed`) stays as it is. */
export function upperCaseUnlessGroup(item: string): string {
  return Object.hasOwn(JOB_STATE_GROUPS, item) ? item : item.toUpperCase();
}

export function upperCase(item: string): string {
  return item.toUpperCase();
}
