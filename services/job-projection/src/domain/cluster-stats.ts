import type { ClusterStatsPoint } from '@clocktower/contracts';

/** What a cluster looked like at the end of one minute (the last change within it). */
export interface ClusterSample {
  /** The minute's start, ISO (`…T10:42:00.000Z`). */
  readonly minute: string;
  readonly jobs: Readonly<Record<string, number>>;
  readonly cpus: { readonly used: number; readonly total: number };
  readonly gpus: { readonly used: number; readonly total: number };
}

/** A job that started, and how long it waited in the queue before. */
export interface StartedJob {
  readonly startTime: string;
  readonly waitSeconds: number;
}

export interface StatsPeriod {
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepSeconds: number;
}

const MINUTE_MS = 60_000;

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The start of the minute `iso` falls in, ISO: the key of a cluster's sample. */
export function minuteOf(iso: string): string {
  // The fold's times are canonical (toIsoUtc): cut the seconds off rather than parse and print.
  if (CANONICAL.test(iso)) return `${iso.slice(0, 16)}:00.000Z`;
  const ms = Date.parse(iso);
  return new Date(ms - (((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS)).toISOString();
}

export function pointCount({ fromMs, toMs, stepSeconds }: StatsPeriod): number {
  return Math.max(0, Math.ceil((toMs - fromMs) / (stepSeconds * 1_000)));
}

const NO_SAMPLE: ClusterSample = {
  minute: '',
  jobs: {},
  cpus: { used: 0, total: 0 },
  gpus: { used: 0, total: 0 },
};

/**
 * Buckets (from + i·step − step, from + i·step], the last one ending at `to`. Each point holds the
 * state of the latest sample of a minute that began before its end — the state at that instant,
 * to the minute — so a quiet bucket repeats the last known state; before any sample, an empty
 * state (total 0: nothing known yet). Its waits are those of the jobs that started within it.
 * `samples` in minute order, starting with the last one before the period if any; `started` in
 * any order (those outside the period are ignored).
 */
export function bucketClusterStats(
  period: StatsPeriod,
  samples: readonly ClusterSample[],
  started: readonly StartedJob[],
): ClusterStatsPoint[] {
  const { fromMs, toMs, stepSeconds } = period;
  const stepMs = stepSeconds * 1_000;
  const n = pointCount(period);
  const ends = Array.from({ length: n }, (_, i) => Math.min(fromMs + (i + 1) * stepMs, toMs));
  const waits = ends.map(() => ({ count: 0, sum: 0, max: 0 }));
  for (const job of started) {
    const at = Date.parse(job.startTime);
    if (!(at > fromMs && at <= toMs)) continue;
    const bucket = waits[Math.min(n - 1, Math.ceil((at - fromMs) / stepMs) - 1)]!;
    const wait = Math.max(0, job.waitSeconds);
    bucket.count++;
    bucket.sum += wait;
    bucket.max = Math.max(bucket.max, wait);
  }
  const points: ClusterStatsPoint[] = [];
  let next = 0;
  let state = NO_SAMPLE;
  for (let i = 0; i < n; i++) {
    const end = ends[i]!;
    while (next < samples.length && Date.parse(samples[next]!.minute) < end)
      state = samples[next++]!;
    const w = waits[i]!;
    points.push({
      at: new Date(end).toISOString(),
      jobs: state.jobs,
      cpus: state.cpus,
      gpus: state.gpus,
      waits: {
        count: w.count,
        meanSeconds: w.count === 0 ? null : round(w.sum / w.count),
        maxSeconds: w.count === 0 ? null : round(w.max),
      },
    });
  }
  return points;
}

/** Waits to the millisecond: seconds with three decimals at most. */
const round = (seconds: number): number => Math.round(seconds * 1_000) / 1_000;
