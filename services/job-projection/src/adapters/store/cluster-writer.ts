import type Database from 'better-sqlite3';
import {
  emptyClusterState,
  evolveCluster,
  observeCluster,
  recordClusterPoll,
  type ClusterState,
} from '../../domain/cluster-view.projection.js';

/** Every cluster's own state, all in memory (a handful), written back when changed. */
export class ClusterWriter {
  private readonly states = new Map<string, ClusterState>();
  private readonly dirty = new Set<string>();
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      all: db.prepare<[], { cluster: string; state: string }>(
        'SELECT cluster, state FROM clusters',
      ),
      upsert: db.prepare('INSERT OR REPLACE INTO clusters (cluster, state) VALUES (?, ?)'),
    };
    this.reset();
  }

  reset(): void {
    this.states.clear();
    this.dirty.clear();
    for (const row of this.stmt.all.all())
      this.states.set(row.cluster, JSON.parse(row.state) as ClusterState);
  }

  private set(cluster: string, next: ClusterState, before: ClusterState | undefined): void {
    if (next === before) return;
    this.states.set(cluster, next);
    this.dirty.add(cluster);
  }

  private current(cluster: string): ClusterState {
    return this.states.get(cluster) ?? emptyClusterState(cluster);
  }

  /** A job or node event of the cluster. */
  observe(cluster: string, occurredAt: string): void {
    const before = this.states.get(cluster);
    this.set(cluster, observeCluster(before ?? emptyClusterState(cluster), occurredAt), before);
  }

  apply(
    cluster: string,
    event: { type: string; data: Record<string, unknown>; occurredAt: string },
  ): void {
    const before = this.states.get(cluster);
    this.set(cluster, evolveCluster(this.current(cluster), event), before);
  }

  recordPoll(cluster: string, ok: boolean, polledAt: string): void {
    const before = this.states.get(cluster);
    this.set(cluster, recordClusterPoll(this.current(cluster), ok, polledAt), before);
  }

  flush(): void {
    for (const cluster of this.dirty)
      this.stmt.upsert.run(cluster, JSON.stringify(this.states.get(cluster)));
    this.dirty.clear();
  }
}
