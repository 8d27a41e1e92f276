import { NotFoundException } from '@nestjs/common';

/** The projection answers null for what it does not have (or the caller may not see): a 404. */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new NotFoundException(`${what} not found`);
  return value;
}
