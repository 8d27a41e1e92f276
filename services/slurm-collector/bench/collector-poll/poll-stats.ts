import type { QueuePollTimes, StepTimes } from './timed-poll.js';

/** One poll of the snapshot: the nodes poll and the queue poll, with their sum. */
export interface SnapshotPoll {
  readonly whole: StepTimes;
  readonly queue: QueuePollTimes;
  readonly nodes: StepTimes;
  /** RSS at the start (after a full GC: fixture, bodies, state, store), in MiB. */
  readonly rssStartMiB: number;
  /** Peak RSS over both polls, in MiB (see memory-span.ts). */
  readonly peakRssMiB: number;
}

/** One steady-state round: a 1% change, the poll of it, and JSON.parse of the same bodies. */
export interface SteadyRound {
  readonly poll: SnapshotPoll;
  /** JSON.parse of the squeue and sinfo bodies, each repetition's sum. */
  readonly jsonParseMs: readonly number[];
  readonly changedJobs: number;
  readonly missedJobs: number;
  readonly unexpectedJobs: number;
}

/** One store's part of the run: the first poll into an empty state, then the steady rounds. */
export interface StoreRun {
  readonly label: string;
  readonly first: SnapshotPoll;
  /** Heap still held after the first poll and a full GC: the folded state (and the events, in memory). */
  readonly heldMiB: number;
  readonly rounds: readonly SteadyRound[];
  readonly steady: SteadySummary;
}

export interface Spread {
  readonly median: number;
  readonly best: number;
}

/** The figures one store's rounds sum up to: medians and bests of each step, in ms. */
export interface SteadySummary {
  readonly parse: Spread;
  readonly diff: Spread;
  readonly append: Spread;
  readonly total: Spread;
  readonly queue: Spread;
  readonly nodes: Spread;
  readonly jsonParse: Spread;
  /** Median of the per-round ratios; best is the best poll over the best JSON.parse. */
  readonly ratio: Spread;
  readonly events: number;
  /** Median over the rounds. */
  readonly rssStartMiB: number;
  /** Highest over the rounds. */
  readonly peakRssMiB: number;
}

export function sumSteps(a: StepTimes, b: StepTimes): StepTimes {
  return {
    parseMs: a.parseMs + b.parseMs,
    diffMs: a.diffMs + b.diffMs,
    appendMs: a.appendMs + b.appendMs,
    totalMs: a.totalMs + b.totalMs,
    decisions: a.decisions + b.decisions,
    events: a.events + b.events,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function spread(values: readonly number[]): Spread {
  return { median: median(values), best: Math.min(...values) };
}

export function summarize(rounds: readonly SteadyRound[]): SteadySummary {
  const whole = rounds.map((r) => r.poll.whole);
  const jsonParse = spread(rounds.flatMap((r) => r.jsonParseMs));
  const total = spread(whole.map((w) => w.totalMs));
  // Each round's poll over that round's own JSON.parse: load drift hits both sides alike.
  const ratios = rounds.map((r) => r.poll.whole.totalMs / median(r.jsonParseMs));
  return {
    parse: spread(whole.map((w) => w.parseMs)),
    diff: spread(whole.map((w) => w.diffMs)),
    append: spread(whole.map((w) => w.appendMs)),
    total,
    queue: spread(rounds.map((r) => r.poll.queue.totalMs)),
    nodes: spread(rounds.map((r) => r.poll.nodes.totalMs)),
    jsonParse,
    ratio: { median: median(ratios), best: total.best / jsonParse.best },
    events: median(whole.map((w) => w.events)),
    rssStartMiB: median(rounds.map((r) => r.poll.rssStartMiB)),
    peakRssMiB: Math.max(...rounds.map((r) => r.poll.peakRssMiB)),
  };
}
