import { describe, expect, it } from '@jest/globals';
import { PageCache } from './page-cache.js';

describe('PageCache', () => {
  const model = {};
  const answers = (): { count: number; next(): { n: number } } => {
    const counter = {
      count: 0,
      next: () => ({ n: ++counter.count }),
    };
    return counter;
  };

  it('answers a list asked again at the same position with the same answer, computed once', () => {
    const cache = new PageCache<{ n: number }>(4);
    const answer = answers();
    const first = cache.get(model, 5n, 'a', answer.next);
    expect(cache.get(model, 5n, 'a', answer.next)).toBe(first);
    expect(answer.count).toBe(1);
    expect(cache.get(model, 5n, 'b', answer.next)).not.toBe(first);
    expect(cache.stats()).toEqual({ capacity: 4, pages: 2, hits: 1, misses: 2 });
  });

  it('forgets every page once the model moves on or is replaced', () => {
    const cache = new PageCache<{ n: number }>(4);
    const answer = answers();
    const atFive = cache.get(model, 5n, 'a', answer.next);
    const atSix = cache.get(model, 6n, 'a', answer.next);
    expect(atSix).not.toBe(atFive);
    expect(cache.stats().pages).toBe(1);
    const rebuilt = {};
    expect(cache.get(rebuilt, 6n, 'a', answer.next)).not.toBe(atSix);
    // Back to a position seen before is not a hit either: the model may have changed in between.
    expect(cache.get(model, 5n, 'a', answer.next)).not.toBe(atFive);
    expect(answer.count).toBe(4);
  });

  it('lets the least recently used page go when full', () => {
    const cache = new PageCache<{ n: number }>(2);
    const answer = answers();
    const a = cache.get(model, 1n, 'a', answer.next);
    cache.get(model, 1n, 'b', answer.next);
    expect(cache.get(model, 1n, 'a', answer.next)).toBe(a); // a is now the most recent
    cache.get(model, 1n, 'c', answer.next); // b leaves
    expect(cache.get(model, 1n, 'a', answer.next)).toBe(a);
    const count = answer.count;
    cache.get(model, 1n, 'b', answer.next);
    expect(answer.count).toBe(count + 1);
    expect(cache.stats().pages).toBe(2);
  });

  it('keeps nothing at capacity 0, and nothing of a query that fails', () => {
    const off = new PageCache<{ n: number }>(0);
    const answer = answers();
    off.get(model, 1n, 'a', answer.next);
    off.get(model, 1n, 'a', answer.next);
    expect(answer.count).toBe(2);
    expect(off.stats()).toEqual({ capacity: 0, pages: 0, hits: 0, misses: 2 });

    const cache = new PageCache<{ n: number }>(2);
    const fail = (): { n: number } => {
      throw new Error('bad cursor');
    };
    expect(() => cache.get(model, 1n, 'bad', fail)).toThrow('bad cursor');
    expect(cache.stats().pages).toBe(0);
  });

  it('refuses a capacity that is not a whole number of pages', () => {
    expect(() => new PageCache(-1)).toThrow(/whole number of pages >= 0, not -1/);
    expect(() => new PageCache(1.5)).toThrow(/not 1.5/);
  });
});
