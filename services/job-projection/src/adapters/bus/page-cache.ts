import type { PageCacheStats } from '@clocktower/contracts';

/** Pages kept by default: ~40 KB of UTF-8 JSON each for 50 jobs, so about 10 MB when full. */
export const DEFAULT_PAGE_CACHE_PAGES = 256;

/**
 * The answers last given to list queries, while the read model stays where it is: a list asked
 * again before the model folds another event (a dashboard polling, several people on one view) is
 * answered from memory, without the SQLite walk, the join or the UTF-8 encoding. Keyed by the
 * query's data, the caller's scope included; emptied as soon as the model moves on (its position)
 * or is replaced (a rebuild's switch-over), so a hit is exactly what the query would answer now.
 * The least recently used page leaves first. A capacity of 0 keeps nothing.
 */
export class PageCache<V> {
  private model: object | undefined;
  private position = -1n;
  private readonly pages = new Map<string, V>();
  private hits = 0;
  private misses = 0;

  constructor(readonly capacity = DEFAULT_PAGE_CACHE_PAGES) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`a page cache holds a whole number of pages >= 0, not ${capacity}`);
    }
  }

  /** The answer for `key` on `model` at its `position`: kept, or `answer()`'s, then kept. */
  get(model: object, position: bigint, key: string, answer: () => V): V {
    if (model !== this.model || position !== this.position) {
      this.pages.clear();
      this.model = model;
      this.position = position;
    }
    const kept = this.pages.get(key);
    if (kept !== undefined) {
      this.hits++;
      // Map order is insertion order: moved to the end, it is the most recently used.
      this.pages.delete(key);
      this.pages.set(key, kept);
      return kept;
    }
    this.misses++;
    const value = answer();
    if (this.capacity === 0) return value;
    if (this.pages.size >= this.capacity) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(key, value);
    return value;
  }

  stats(): PageCacheStats {
    return {
      capacity: this.capacity,
      pages: this.pages.size,
      hits: this.hits,
      misses: this.misses,
    };
  }
}
