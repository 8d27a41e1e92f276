/**
 * Parsed inputs by class and input, so that an input parsed again (a dashboard polling the same
 * page: most API traffic) is not transformed and validated again: class-transformer and
 * class-validator cost about as much as the rest of a gateway's or a projection's own work per
 * query. Parsing is a pure function of the input, so a hit is exactly what parsing would give; the
 * instance is frozen because callers share it. Only for inputs that hold no secret (query and path
 * parameters, queries): a key stays in memory. Bounded: a class's entries are cleared whole when
 * full. A failed parse throws and is not kept.
 */
export class ParseCache {
  private readonly parsed = new WeakMap<object, Map<string, object>>();

  constructor(
    private readonly maxPerClass = 1_000,
    private readonly maxKeyLength = 2_000,
  ) {}

  /** What `parse()` gives for the input `key` names, parsed once per class and key. */
  get<T extends object>(cls: object, key: string, parse: () => T): T {
    if (key.length > this.maxKeyLength) return parse();
    let cache = this.parsed.get(cls);
    const hit = cache?.get(key);
    if (hit) return hit as T;
    const instance = Object.freeze(parse());
    if (!cache) this.parsed.set(cls, (cache = new Map<string, object>()));
    if (cache.size >= this.maxPerClass) cache.clear();
    cache.set(key, instance);
    return instance;
  }
}
