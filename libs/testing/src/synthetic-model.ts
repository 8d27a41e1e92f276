/**
 * The pieces of the synthetic history's model: a seeded generator, a time-ordered agenda, and
 * the shape of a cluster (nodes, partitions, users). Kept apart from the event-making code in
 * synthetic-history.ts so each reads on its own.
 */

/** mulberry32: a seed replays the same history exactly; fast enough for millions of draws. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    let h = Math.trunc(seed) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
    this.state = (h ^ (h >>> 16)) >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An index, each chosen with probability weight / sum. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

interface AgendaItem {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

/** Things to happen, earliest first (a binary heap; equal times in the order scheduled). */
export class Agenda {
  private readonly heap: AgendaItem[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  at(time: number, run: () => void): void {
    const heap = this.heap;
    heap.push({ at: time, seq: this.seq++, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }

  pop(): AgendaItem | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
    return top;
  }
}

const before = (a: AgendaItem, b: AgendaItem): boolean =>
  a.at < b.at || (a.at === b.at && a.seq < b.seq);

export interface SyntheticNode {
  readonly cluster: string;
  readonly name: string;
  readonly stream: string;
  revision: number;
  readonly cpus: number;
  readonly memoryMB: number;
  readonly gpus: number;
  readonly gpuType: string | null;
  readonly partitions: string[];
  state: string;
  flags: string[];
  reason: string | null;
  reasonSetBy: string | null;
  reasonSince: string | null;
  cpusAllocated: number;
  memoryAllocatedMB: number;
  gpusAllocated: number;
}

export const PARTITIONS = ['cpu', 'gpu', 'long', 'debug'] as const;
export const PARTITION_WEIGHTS = [60, 20, 10, 10];

export const JOB_NAMES = [
  'train-resnet',
  'align-bwa',
  'md-sim',
  'preprocess',
  'eval-model',
  'assemble-genome',
  'render-frames',
  'climate-run',
] as const;

export const DRAIN_REASONS = [
  'NHC: /scratch not mounted',
  'hardware: correctable memory errors',
  'maintenance: BIOS update',
  'Kill task failed',
] as const;

/** Node names of one cluster: three CPU nodes for every GPU node, at least one of each. */
export function nodeNames(count: number): { name: string; gpu: boolean }[] {
  const gpuCount = Math.max(1, Math.round(count / 4));
  const cpuCount = Math.max(1, count - gpuCount);
  const out: { name: string; gpu: boolean }[] = [];
  for (let i = 1; i <= cpuCount; i++)
    out.push({ name: `cn${String(i).padStart(3, '0')}`, gpu: false });
  for (let i = 1; i <= gpuCount; i++)
    out.push({ name: `gpu${String(i).padStart(2, '0')}`, gpu: true });
  return out;
}

/** Zero-padded names, so sorted text is numeric order too. */
export const userName = (i: number): string => `user${String(i).padStart(3, '0')}`;
export const accountName = (i: number): string => `acct${String(i).padStart(2, '0')}`;

const CLUSTER_NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
export function clusterNames(clusters: number | readonly string[]): string[] {
  if (typeof clusters !== 'number') return [...clusters];
  return Array.from({ length: clusters }, (_, i) => CLUSTER_NAMES[i] ?? `cluster${i + 1}`);
}
