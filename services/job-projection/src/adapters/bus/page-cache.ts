import type { PageCacheStats } from '@clocktower/contracts';

/** The default bound: ~400 pages of 50 jobs (~40 KB of UTF-8 JSON each). */
export const DEFAULT_PAGE_CACHE_MB = 16;

/**
 * The answers last given to list queries, while the read model stays where it is: a list asked
 * again before the model folds another event (a dashboard polling, several people on one view) is
 * answered from memory, without the SQLite walk, the join or the UTF-8 encoding. Keyed by the
 * query's data, the caller's scope included; emptied as soon as the model moves on (its position)
 * or is replaced (a rebuild's switch-over), so a hit is exactly what the query would answer now.
 * Bounded in bytes, not pages (a page may hold 1 job or 1,000): the least recently used pages
 * leave first, and an answer larger than the whole bound is not kept. A bound of 0 keeps nothing.
 */
export class PageCache<V> {
  private model: object | undefined;
  private position = -1n;
  private readonly pages = new Map<string, { readonly value: V; readonly bytes: number }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {
    if (!Number.isInteger(maxBytes) || maxBytes < 0) {
      throw new RangeError(`a page cache holds a whole number of bytes >= 0, not ${maxBytes}`);
    }
  }

  /** The answer for `key` on `model` at its `position`: kept, or `answer()`'s, then kept. */
  get(model: object, position: bigint, key: string, answer: () => V): V {
    if (model !== this.model || position !== this.position) {
      this.pages.clear();
      this.bytes = 0;
      this.model = model;
      this.position = position;
    }
    const kept = this.pages.get(key);
    if (kept !== undefined) {
      this.hits++;
      // Map order is insertion order: moved to the end, it is the most recently used.
      this.pages.delete(key);
      this.pages.set(key, kept);
      return kept.value;
    }
    this.misses++;
    const value = answer();
    const bytes = this.sizeOf(value);
    if (bytes > this.maxBytes) return value;
    for (const [oldest, page] of this.pages) {
      if (this.bytes + bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= page.bytes;
    }
    this.pages.set(key, { value, bytes });
    this.bytes += bytes;
    return value;
  }

  stats(): PageCacheStats {
    return {
      maxBytes: this.maxBytes,
      bytes: this.bytes,
      pages: this.pages.size,
      hits: this.hits,
      misses: this.misses,
    };
  }
}
