/** The form Date#toISOString prints, which the collector writes: kept as is, without a parse. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * One instant in one spelling (UTC, milliseconds), so that times stored as text compare and sort
 * correctly: `2024-05-01T10:00:00+02:00` and `2024-05-01T08:00:00.000Z` are the same instant.
 * Null when the text is not a time.
 */
export function toIsoUtc(value: string): string | null {
  if (CANONICAL.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function optionalIsoUtc(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : toIsoUtc(value);
}
