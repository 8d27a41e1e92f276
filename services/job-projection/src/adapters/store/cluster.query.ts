import type Database from 'better-sqlite3';
import type { ClusterView, UserJobCounts } from '@clocktower/contracts';
import { lastPollOf, type ClusterState } from '../../domain/cluster-view.projection.js';
import { inClusterScope } from './job-detail.query.js';
import type { Scope } from './read-model.port.js';

interface NodeTotals {
  state: string;
  nodes: number;
  cpus: number;
  cpus_allocated: number;
  gpus: number;
  gpus_allocated: number;
}

/** Clusters and their users: summaries read from job_counts and the nodes table, not job rows. */
export class ClusterQuery {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      all: db.prepare<[], { cluster: string; state: string }>(
        'SELECT cluster, state FROM clusters ORDER BY cluster',
      ),
      one: db.prepare<[string], { cluster: string; state: string }>(
        'SELECT cluster, state FROM clusters WHERE cluster = ?',
      ),
      // HAVING names SUM(n), not `n`: a bare `n` there is one row's column (a partition's zero
      // row hid a state the others had jobs in), not the alias.
      jobsByState: db.prepare<[string], { state: string; n: number }>(
        'SELECT state, SUM(n) AS n FROM job_totals WHERE cluster = ? GROUP BY state HAVING SUM(n) > 0 ORDER BY state',
      ),
      nodeTotals: db.prepare<[string], NodeTotals>(
        `SELECT state, COUNT(*) AS nodes,
           SUM(json_extract(record, '$.cpus')) AS cpus,
           SUM(json_extract(record, '$.cpusAllocated')) AS cpus_allocated,
           SUM(json_extract(record, '$.gpus')) AS gpus,
           SUM(json_extract(record, '$.gpusAllocated')) AS gpus_allocated
         FROM nodes WHERE cluster = ? AND removed = 0 GROUP BY state`,
      ),
      users: db.prepare<[string], { user: string; state: string; n: number }>(
        `SELECT user, state, SUM(n) AS n FROM job_counts WHERE cluster = ?
         GROUP BY user, state HAVING SUM(n) > 0 ORDER BY user, state`,
      ),
    };
  }

  listClusters(scope: Scope): ClusterView[] {
    return this.stmt.all
      .all()
      .filter((row) => inClusterScope(scope, row.cluster))
      .map((row) => this.view(JSON.parse(row.state) as ClusterState));
  }

  getCluster(cluster: string, scope: Scope): ClusterView | null {
    if (!inClusterScope(scope, cluster)) return null;
    const row = this.stmt.one.get(cluster);
    return row ? this.view(JSON.parse(row.state) as ClusterState) : null;
  }

  listClusterUsers(cluster: string, scope: Scope): UserJobCounts[] {
    if (!inClusterScope(scope, cluster)) return [];
    const byUser = new Map<string, Record<string, number>>();
    for (const { user, state, n } of this.stmt.users.all(cluster)) {
      if (scope.onlyUser !== undefined && user !== scope.onlyUser) continue;
      const counts = byUser.get(user) ?? {};
      counts[state] = n;
      byUser.set(user, counts);
    }
    return [...byUser].map(([user, jobsByState]) => ({
      cluster,
      user,
      jobsByState,
      total: Object.values(jobsByState).reduce((a, b) => a + b, 0),
    }));
  }

  private view(state: ClusterState): ClusterView {
    const jobsByState: Record<string, number> = {};
    for (const { state: s, n } of this.stmt.jobsByState.all(state.cluster)) jobsByState[s] = n;
    const nodesByState: Record<string, number> = {};
    const cpus = { total: 0, allocated: 0 };
    const gpus = { total: 0, allocated: 0 };
    for (const t of this.stmt.nodeTotals.all(state.cluster)) {
      nodesByState[t.state] = t.nodes;
      cpus.total += t.cpus;
      cpus.allocated += t.cpus_allocated;
      gpus.total += t.gpus;
      gpus.allocated += t.gpus_allocated;
    }
    return {
      cluster: state.cluster,
      simulated: state.simulated,
      source: state.source,
      reachable: state.reachable,
      unreachableReason: state.unreachableReason,
      lastPollAt: lastPollOf(state),
      jobsByState,
      nodesByState,
      cpus,
      gpus,
      updatedAt: state.lastEventAt,
    };
  }
}
