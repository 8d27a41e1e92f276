import { InvalidCursorError } from './projection.errors.js';

/** A value a cursor may carry: what sort keys are made of. */
export type CursorValue = string | number | null;

/**
 * Where a keyset page ended: the sort key of its last row (`values`) and a unique tie-breaker
 * (`id`), plus what it was made for (`kind`, `sort`), so a cursor from another list or another
 * sort order is refused instead of silently skipping rows.
 */
export interface PageCursor {
  readonly kind: string;
  readonly sort: string;
  readonly values: readonly CursorValue[];
  readonly id: number;
}

/** Opaque to clients: base64url of a short JSON array. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(
    JSON.stringify([cursor.kind, cursor.sort, cursor.values, cursor.id]),
    'utf8',
  ).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The cursor, checked to be one made for `kind` and `sort`; InvalidCursorError otherwise. */
export function decodeCursor(
  text: string,
  kind: string,
  sort: string,
  valueCount: number,
): PageCursor {
  if (!BASE64URL.test(text)) throw new InvalidCursorError('not a cursor this API handed out');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidCursorError('not a cursor this API handed out', { cause: error });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !Array.isArray(parsed[2]) ||
    !Number.isSafeInteger(parsed[3])
  ) {
    throw new InvalidCursorError('not a cursor this API handed out');
  }
  const [cursorKind, cursorSort, values, id] = parsed as [string, string, unknown[], number];
  if (cursorKind !== kind) throw new InvalidCursorError(`a cursor of another list (${cursorKind})`);
  if (cursorSort !== sort)
    throw new InvalidCursorError(
      `made for sort ${cursorSort}, not ${sort}: keep the sort while paging`,
    );
  if (
    values.length !== valueCount ||
    !values.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
  ) {
    throw new InvalidCursorError('not a cursor this API handed out');
  }
  return { kind, sort, values: values, id };
}
