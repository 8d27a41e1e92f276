import { describe, expect, it } from '@jest/globals';
import { PageCache } from './page-cache.js';

interface Answer {
  readonly n: number;
  readonly size: number;
}

describe('PageCache', () => {
  const model = {};
  const cacheOf = (maxBytes: number): PageCache<Answer> =>
    new PageCache<Answer>(maxBytes, (answer) => answer.size);
  /** Answers of `size` bytes, numbered in the order they were computed. */
  const answers = (size = 10): { count: number; next(): Answer } => {
    const counter = {
      count: 0,
      next: () => ({ n: ++counter.count, size }),
    };
    return counter;
  };

  it('answers a list asked again at the same position with the same answer, computed once', () => {
    const cache = cacheOf(40);
    const answer = answers();
    const first = cache.get(model, 5n, 'a', answer.next);
    expect(cache.get(model, 5n, 'a', answer.next)).toBe(first);
    expect(answer.count).toBe(1);
    expect(cache.get(model, 5n, 'b', answer.next)).not.toBe(first);
    expect(cache.stats()).toEqual({ maxBytes: 40, bytes: 20, pages: 2, hits: 1, misses: 2 });
  });

  it('forgets every page once the model moves on or is replaced', () => {
    const cache = cacheOf(40);
    const answer = answers();
    const atFive = cache.get(model, 5n, 'a', answer.next);
    const atSix = cache.get(model, 6n, 'a', answer.next);
    expect(atSix).not.toBe(atFive);
    expect(cache.stats()).toMatchObject({ pages: 1, bytes: 10 });
    const rebuilt = {};
    expect(cache.get(rebuilt, 6n, 'a', answer.next)).not.toBe(atSix);
    // Back to a position seen before is not a hit either: the model may have changed in between.
    expect(cache.get(model, 5n, 'a', answer.next)).not.toBe(atFive);
    expect(answer.count).toBe(4);
  });

  it('lets the least recently used pages go to make room', () => {
    const cache = cacheOf(20);
    const answer = answers();
    const a = cache.get(model, 1n, 'a', answer.next);
    cache.get(model, 1n, 'b', answer.next);
    expect(cache.get(model, 1n, 'a', answer.next)).toBe(a); // a is now the most recent
    cache.get(model, 1n, 'c', answer.next); // b leaves
    expect(cache.get(model, 1n, 'a', answer.next)).toBe(a);
    const count = answer.count;
    cache.get(model, 1n, 'b', answer.next);
    expect(answer.count).toBe(count + 1);
    expect(cache.stats()).toMatchObject({ pages: 2, bytes: 20 });

    // A page of twice the size takes the room of both.
    const big = answers(20);
    cache.get(model, 1n, 'big', big.next);
    expect(cache.stats()).toMatchObject({ pages: 1, bytes: 20 });
  });

  it('does not keep an answer larger than its whole bound, nor anything at 0', () => {
    const cache = cacheOf(20);
    const small = answers(10);
    cache.get(model, 1n, 'small', small.next);
    const huge = answers(21);
    cache.get(model, 1n, 'huge', huge.next);
    cache.get(model, 1n, 'huge', huge.next);
    expect(huge.count).toBe(2);
    expect(cache.stats()).toMatchObject({ pages: 1, bytes: 10 });

    const off = cacheOf(0);
    const answer = answers();
    off.get(model, 1n, 'a', answer.next);
    off.get(model, 1n, 'a', answer.next);
    expect(answer.count).toBe(2);
    expect(off.stats()).toEqual({ maxBytes: 0, bytes: 0, pages: 0, hits: 0, misses: 2 });
  });

  it('keeps nothing of a query that fails', () => {
    const cache = cacheOf(20);
    const fail = (): Answer => {
      throw new Error('bad cursor');
    };
    expect(() => cache.get(model, 1n, 'bad', fail)).toThrow('bad cursor');
    expect(cache.stats()).toMatchObject({ pages: 0, bytes: 0 });
  });

  it('refuses a bound that is not a whole number of bytes', () => {
    expect(() => cacheOf(-1)).toThrow(/whole number of bytes >= 0, not -1/);
    expect(() => cacheOf(1.5)).toThrow(/not 1.5/);
  });
});
