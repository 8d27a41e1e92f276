import type Database from 'better-sqlite3';
import { MAX_STATS_POINTS, type ClusterStats, type GetClusterStats } from '@clocktower/contracts';
import {
  bucketClusterStats,
  pointCount,
  type ClusterSample,
  type StartedJob,
} from '../../domain/cluster-stats.js';
import { toIsoUtc } from '../../domain/iso-time.js';
import { InvalidQueryError } from '../../domain/projection.errors.js';
import { inClusterScope } from './job-detail.query.js';

interface SampleRow {
  minute: string;
  jobs: string;
  cpus_used: number;
  cpus_total: number;
  gpus_used: number;
  gpus_total: number;
}

/**
 * A cluster over a period: its samples (cluster_samples, one row per minute with changes, from
 * the last one before the period) and the queue waits of the jobs that started in it (jobs, by
 * the start_time index), bucketed by bucketClusterStats. Cluster-wide, like GetCluster: the
 * caller's clusters limit what may be asked, not what is counted.
 */
export class ClusterStatsQuery {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      cluster: db.prepare<[string], { cluster: string }>(
        'SELECT cluster FROM clusters WHERE cluster = ?',
      ),
      samples: db.prepare<[string, string, string, string], SampleRow>(
        `SELECT minute, jobs, cpus_used, cpus_total, gpus_used, gpus_total
         FROM cluster_samples
         WHERE cluster = ? AND minute < ? AND minute >= COALESCE(
           (SELECT MAX(minute) FROM cluster_samples WHERE cluster = ? AND minute < ?), '')
         ORDER BY minute`,
      ),
      // Waits from eligibility (a job held by --begin or a dependency was not waiting for
      // resources before), else from submission; in SQL, so only two values per job travel.
      started: db.prepare<[string, string, string], { start_time: string; wait: number | null }>(
        `SELECT start_time,
           (julianday(start_time) - julianday(COALESCE(eligible_time, submit_time))) * 86400.0
             AS wait
         FROM jobs WHERE start_time > ? AND start_time <= ? AND cluster = ?`,
      ),
    };
  }

  run(query: GetClusterStats): ClusterStats | null {
    const from = toIsoUtc(query.from);
    const to = toIsoUtc(query.to);
    if (from === null) throw new InvalidQueryError('from', `not an ISO 8601 time: ${query.from}`);
    if (to === null) throw new InvalidQueryError('to', `not an ISO 8601 time: ${query.to}`);
    if (from >= to) throw new InvalidQueryError('from', 'from must be before to');
    const period = { fromMs: Date.parse(from), toMs: Date.parse(to), stepSeconds: query.step };
    if (pointCount(period) > MAX_STATS_POINTS) {
      throw new InvalidQueryError(
        'step',
        `at most ${MAX_STATS_POINTS} points: step must be at least ${Math.ceil((period.toMs - period.fromMs) / 1_000 / MAX_STATS_POINTS)} seconds for this period`,
      );
    }
    if (!inClusterScope(query, query.cluster) || !this.stmt.cluster.get(query.cluster)) return null;
    const samples: ClusterSample[] = this.stmt.samples
      .all(query.cluster, to, query.cluster, from)
      .map((row) => ({
        minute: row.minute,
        jobs: JSON.parse(row.jobs) as Record<string, number>,
        cpus: { used: row.cpus_used, total: row.cpus_total },
        gpus: { used: row.gpus_used, total: row.gpus_total },
      }));
    const started: StartedJob[] = [];
    for (const row of this.stmt.started.all(from, to, query.cluster)) {
      if (row.wait !== null) started.push({ startTime: row.start_time, waitSeconds: row.wait });
    }
    return {
      cluster: query.cluster,
      from,
      to,
      step: query.step,
      points: bucketClusterStats(period, samples, started),
    };
  }
}
