import type { EventStore } from '@clocktower/event-store';
import { BASE } from './known-history.js';
import { appendEntries, Timeline } from './timeline.js';

/** The cluster of the volume history, apart from the hand-written ones. */
export const SYNTHETIC_CLUSTER = 'synth';
export const SYNTHETIC_JOBS = 360;

/** A small seeded generator (mulberry32): the same history on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Job ids of every length around the places where text order and number order part (9 < 10,
 * 99 < 100, …), so sorting by id is tested where it can go wrong.
 */
function jobIds(count: number): string[] {
  const ids = new Set<number>();
  for (const start of [1, 95, 995, 9_995, 99_995]) for (let i = 0; i < 10; i++) ids.add(start + i);
  for (let n = 123_000; ids.size < count; n += 7) ids.add(n);
  return [...ids].map(String);
}

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const ACCOUNTS = ['genomics', 'ml', 'physics', 'chem'];
const PARTITIONS = ['batch', 'gpu', 'long'];
const REASONS = ['Priority', 'Resources', 'Dependency', 'QOSMaxJobsPerUserLimit'];
const ENDS = [
  { state: 'COMPLETED', exitCode: 0 },
  { state: 'COMPLETED', exitCode: 0 },
  { state: 'FAILED', exitCode: 1 },
  { state: 'TIMEOUT', exitCode: null, signal: 15 },
  { state: 'OUT_OF_MEMORY', exitCode: null, signal: 9 },
  { state: 'CANCELLED', exitCode: null },
] as const;

/**
 * A few hundred jobs on a cluster of 16 nodes, through every path a job takes (pending for a while
 * with changing reasons, running, ending in each way, requeued, cancelled while pending, one job id
 * handed out twice), in the order a collector would append them.
 */
export function syntheticHistory(seed = 4): Timeline {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const t = new Timeline(BASE);
  const c = SYNTHETIC_CLUSTER;
  t.reachable(0, c);
  for (let n = 1; n <= 16; n++) {
    const name = `s${String(n).padStart(3, '0')}`;
    t.addNode(0, { cluster: c, name, partitions: [pick(PARTITIONS)], cpus: 32 });
  }
  const nodes = (): string => {
    const first = 1 + Math.floor(next() * 15);
    return next() < 0.5
      ? `s${String(first).padStart(3, '0')}`
      : `s[${String(first).padStart(3, '0')}-${String(first + 1).padStart(3, '0')}]`;
  };
  jobIds(SYNTHETIC_JOBS).forEach((jobId, i) => {
    const at = 60 + i * 5;
    const spec = {
      cluster: c,
      jobId,
      name: `${pick(['align', 'Train', 'sim', 'plot'])}-${i}`,
      user: pick(USERS),
      account: pick(ACCOUNTS),
      partition: pick(PARTITIONS),
      cpus: 1 + Math.floor(next() * 16),
    };
    t.submit(at, spec, pick(REASONS));
    // The first life of job 3 ends before its id is handed out again.
    const path = jobId === '3' ? 0.9 : next();
    if (path < 0.15) return; // still pending
    if (path < 0.25) {
      t.pendingReason(at + 20, c, jobId, pick(REASONS));
      if (path < 0.2) t.end(at + 40, c, jobId, { state: 'CANCELLED', exitCode: null });
      return;
    }
    const ran = nodes();
    t.start(at + 30 + Math.floor(next() * 100), c, jobId, ran);
    if (path < 0.35) return; // still running
    if (path < 0.42) {
      t.requeue(at + 200, c, jobId, 'BeginTime').start(at + 260, c, jobId, ran);
    }
    t.end(at + 400 + Math.floor(next() * 600), c, jobId, pick(ENDS));
  });
  // Slurm hands out a job id again: a second life, in a stream of its own.
  t.submit(3_000, {
    cluster: c,
    jobId: '3',
    name: 'second-life',
    user: 'erin',
    account: 'chem',
    partition: 'batch',
  });
  return t;
}

export async function appendSynthetic(store: EventStore): Promise<void> {
  await appendEntries(store, syntheticHistory().all());
}
