import { describe, expect, it } from '@jest/globals';
import { pythonJsonLength } from './python-json-length.js';

describe('pythonJsonLength', () => {
  // Expected lengths are len(json.dumps(value)) printed by Python 3.11.
  it.each([
    [{}, 2],
    [{ a: 1 }, 8],
    [{ a: 'b', c: [1, 2, null, true] }, 35],
    [{ n: { x: [] } }, 16],
    [[], 2],
    [[{}], 4],
    [{ k: 1.5, f: false }, 22],
    ['tab\tq"\\', 12],
  ])('counts separators and escapes as Python writes them: %j', (value, length) => {
    expect(pythonJsonLength(value)).toBe(length);
  });

  it('counts a character outside ASCII as one \\uXXXX escape per UTF-16 unit', () => {
    expect(pythonJsonLength({ é: 'ü€' })).toBe(26);
    expect(pythonJsonLength({ emoji: '😀' })).toBe(25);
    expect(pythonJsonLength({ del: '\u007f' })).toBe(17);
  });
});
