/**
 * A seeded pseudo-random generator (mulberry32: 32 bits of state, a full 2^32 period, fast, and
 * good enough for a workload model). Every random choice of the simulator comes from one instance,
 * drawn in a fixed order, so a seed replays the same cluster exactly.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    // Mix the seed once so that neighbouring seeds (1, 2, 3) start far apart.
    this.#state = hash32(Math.trunc(seed) >>> 0);
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('Prng.pick: no items to pick from');
    return item;
  }

  /** An index into `weights`, each chosen with probability weight / sum(weights). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** An exponentially distributed value with the given mean (inter-arrival times of a Poisson process). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/**
 * A stateless 32-bit integer hash (lowbias32). The renderers use it for values that must look
 * noisy (CPU load, free memory) without drawing from the Prng: rendering a snapshot must never
 * change what the cluster does next.
 */
export function hash32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}
