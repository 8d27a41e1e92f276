import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import { InvalidCursorError } from './projection.errors.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('page cursors', () => {
  const cursor = {
    kind: 'jobs',
    sort: 'submitTime:desc',
    values: ['2024-05-01T10:00:00.000Z'],
    id: 42,
  };

  it('round-trips through an opaque base64url text', () => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text, 'jobs', 'submitTime:desc', 1)).toEqual(cursor);
  });

  it('refuses garbage, another list’s cursor and another sort’s, naming the cursor field', () => {
    const text = encodeCursor(cursor);
    const refusals = [
      () => decodeCursor('%%%', 'jobs', 'submitTime:desc', 1),
      () =>
        decodeCursor(Buffer.from('{"a":1}').toString('base64url'), 'jobs', 'submitTime:desc', 1),
      () => decodeCursor(text, 'nodes', 'submitTime:desc', 1),
      () => decodeCursor(text, 'jobs', 'jobId:asc', 2),
      () => decodeCursor(text, 'jobs', 'submitTime:desc', 2),
    ];
    for (const refuse of refusals) {
      expect(refuse).toThrow(InvalidCursorError);
      expect(thrown(refuse)).toMatchObject({ code: 'INVALID_CURSOR', field: 'cursor' });
    }
  });
});
