import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

/**
 * The ISO 8601 forms a client sends (`2026-01-31`, `2026-01-31T08:00`, `…:00.000Z`,
 * `…+02:00`); strict ISO 8601 also allows week and ordinal dates, which nobody filters jobs by.
 */
const TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i;
const ZONE = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** A time query parameter: a real calendar date, in one of the forms above. */
export function TimeParam(): PropertyDecorator {
  return applyDecorators(
    IsISO8601({ strict: true }),
    Matches(TIME, {
      message: ({ property }) =>
        `${property} must be an ISO 8601 date or date-time (2026-01-31, 2026-01-31T08:00:00Z)`,
    }),
  );
}

/**
 * A validated time as the projection compares it: UTC, `toISOString()` form. A date-time without
 * a zone is read as UTC (never the server's local time, which would make the answer depend on
 * where the gateway runs).
 */
export function toUtcIso(value: string): string {
  const zoned = value.includes('T') && !ZONE.test(value) ? `${value}Z` : value;
  return new Date(zoned).toISOString();
}
