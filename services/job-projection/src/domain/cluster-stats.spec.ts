import { describe, expect, it } from '@jest/globals';
import {
  bucketClusterStats,
  minuteOf,
  pointCount,
  type ClusterSample,
  type StatsPeriod,
} from './cluster-stats.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (secondsAfterT0: number): string => new Date(T0 + secondsAfterT0 * 1_000).toISOString();
const period = (fromS: number, toS: number, stepSeconds: number): StatsPeriod => ({
  fromMs: T0 + fromS * 1_000,
  toMs: T0 + toS * 1_000,
  stepSeconds,
});
const sample = (minuteS: number, running: number, cpusUsed: number): ClusterSample => ({
  minute: iso(minuteS),
  jobs: { RUNNING: running },
  cpus: { used: cpusUsed, total: 64 },
  gpus: { used: 0, total: 4 },
});

describe('cluster statistics over a period', () => {
  it('keys a sample by the start of the minute its time falls in', () => {
    expect(minuteOf('2026-03-01T10:41:59.999Z')).toBe('2026-03-01T10:41:00.000Z');
    expect(minuteOf('2026-03-01T10:42:00.000Z')).toBe('2026-03-01T10:42:00.000Z');
    expect(minuteOf('2026-03-01T12:42:30+02:00')).toBe('2026-03-01T10:42:00.000Z');
  });

  it('makes one point per step, each at the end of its bucket, the last one ending at to', () => {
    const points = bucketClusterStats(period(0, 150, 60), [], []);
    expect(points.map((p) => p.at)).toEqual([iso(60), iso(120), iso(150)]);
    expect(pointCount(period(0, 150, 60))).toBe(3);
    expect(pointCount(period(0, 180, 60))).toBe(3);
  });

  it('gives each point the state of the last minute that began before its end', () => {
    const samples = [sample(0, 1, 8), sample(60, 2, 16), sample(120, 3, 24)];
    const points = bucketClusterStats(period(0, 180, 60), samples, []);
    expect(points.map((p) => p.jobs)).toEqual([{ RUNNING: 1 }, { RUNNING: 2 }, { RUNNING: 3 }]);
    expect(points.map((p) => p.cpus.used)).toEqual([8, 16, 24]);
  });

  it('carries the last known state through buckets without a sample', () => {
    const samples = [sample(-3_600, 5, 40), sample(300, 7, 56)];
    const points = bucketClusterStats(period(0, 420, 60), samples, []);
    expect(points.map((p) => p.jobs['RUNNING'])).toEqual([5, 5, 5, 5, 5, 7, 7]);
    expect(points[0]!.cpus).toEqual({ used: 40, total: 64 });
  });

  it('shows an empty state, total 0, before anything is known', () => {
    const points = bucketClusterStats(period(0, 180, 60), [sample(120, 1, 8)], []);
    expect(points[0]).toMatchObject({ jobs: {}, cpus: { used: 0, total: 0 } });
    expect(points[1]).toMatchObject({ jobs: {}, gpus: { used: 0, total: 0 } });
    expect(points[2]!.jobs).toEqual({ RUNNING: 1 });
  });

  it('counts the waits of jobs started within each bucket, the start at a bucket end in that bucket', () => {
    const started = [
      { startTime: iso(60), waitSeconds: 30 },
      { startTime: iso(61), waitSeconds: 10 },
      { startTime: iso(100), waitSeconds: 50 },
      { startTime: iso(0), waitSeconds: 999 },
      { startTime: iso(181), waitSeconds: 999 },
    ];
    const points = bucketClusterStats(period(0, 180, 60), [], started);
    expect(points.map((p) => p.waits)).toEqual([
      { count: 1, meanSeconds: 30, maxSeconds: 30 },
      { count: 2, meanSeconds: 30, maxSeconds: 50 },
      { count: 0, meanSeconds: null, maxSeconds: null },
    ]);
  });

  it('counts a negative wait (clocks that disagree) as none', () => {
    const points = bucketClusterStats(
      period(0, 60, 60),
      [],
      [{ startTime: iso(30), waitSeconds: -5 }],
    );
    expect(points[0]!.waits).toEqual({ count: 1, meanSeconds: 0, maxSeconds: 0 });
  });
});
