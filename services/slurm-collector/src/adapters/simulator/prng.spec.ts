import { describe, expect, it } from '@jest/globals';
import { hash32, Prng } from './prng.js';

describe('Prng', () => {
  it('draws the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number): number[] => {
      const prng = new Prng(seed);
      return Array.from({ length: 8 }, () => prng.next());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('keeps every draw in range', () => {
    const prng = new Prng(9);
    for (let i = 0; i < 10_000; i++) {
      const x = prng.next();
      const n = prng.int(3, 5);
      expect(x >= 0 && x < 1 && n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
  });

  it('picks by weight and never picks a zero weight', () => {
    const prng = new Prng(4);
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[prng.weighted([1, 0, 3])]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.5);
  });

  it('hashes without state: the same input, the same output', () => {
    expect(hash32(12345)).toBe(hash32(12345));
    expect(hash32(1)).not.toBe(hash32(2));
  });
});
