import type Database from 'better-sqlite3';
import type { JobHistory, JobPendingTime, JobView } from '@clocktower/contracts';
import { pendingTimeOf } from '../../domain/pending-time.js';
import { historyEntry, HISTORY_COLUMNS, type HistoryRow } from './history-rows.js';
import { jobView } from './job-list.query.js';
import { jobIdNumber } from './job-columns.js';
import type { Scope } from './read-model.port.js';
import { HistoryKind } from './read-model.schema.js';

interface LatestRow {
  id: number;
  stream: string;
  user: string;
  cluster: string;
  job_id: string;
  updated_at: string;
  position: number;
  record: string;
}

export function inClusterScope(scope: Scope, cluster: string): boolean {
  return scope.onlyClusters === undefined || scope.onlyClusters.includes(cluster);
}

/** One job: its latest life (a reused id is another stream), its history, its pending time. */
export class JobDetailQuery {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      // The latest life: the latest first submit, then the latest first seen.
      latest: db.prepare<[number | null, string, string], LatestRow>(
        `SELECT id, stream, user, cluster, job_id, updated_at, position, record FROM jobs
         WHERE job_id_num IS ? AND job_id = ? AND cluster = ?
         ORDER BY first_submit DESC, id DESC LIMIT 1`,
      ),
      history: db.prepare<[number], HistoryRow>(
        `SELECT ${HISTORY_COLUMNS} FROM history h WHERE h.kind = ${HistoryKind.job} AND h.ref = ? ORDER BY h.position`,
      ),
    };
  }

  private latest(cluster: string, jobId: string, scope: Scope): LatestRow | null {
    if (!inClusterScope(scope, cluster)) return null;
    const row = this.stmt.latest.get(jobIdNumber(jobId), jobId, cluster);
    if (!row) return null;
    if (scope.onlyUser !== undefined && row.user !== scope.onlyUser) return null;
    return row;
  }

  getJob(cluster: string, jobId: string, scope: Scope): JobView | null {
    const row = this.latest(cluster, jobId, scope);
    return row ? jobView(row) : null;
  }

  getJobHistory(cluster: string, jobId: string, scope: Scope): JobHistory | null {
    const row = this.latest(cluster, jobId, scope);
    if (!row) return null;
    return {
      cluster,
      jobId,
      stream: row.stream,
      events: this.stmt.history.all(row.id).map(historyEntry),
    };
  }

  getJobPendingTime(
    cluster: string,
    jobId: string,
    scope: Scope,
    now: Date,
  ): JobPendingTime | null {
    const row = this.latest(cluster, jobId, scope);
    if (!row) return null;
    const steps = this.stmt.history.all(row.id).map((h) => ({
      type: h.type,
      data: JSON.parse(h.data) as Record<string, unknown>,
      occurredAt: h.occurred_at,
      slurmTime: h.slurm_time,
    }));
    return { cluster, jobId, ...pendingTimeOf(steps, now), asOf: now.toISOString() };
  }
}
