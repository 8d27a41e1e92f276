import type Database from 'better-sqlite3';
import type { JobRecord, NodeRecord } from '@clocktower/contracts';
import { minuteOf } from '../../domain/cluster-stats.js';

/** What a cluster's sample counts, kept up to date event by event. */
interface Totals {
  readonly jobs: Map<string, number>;
  cpusUsed: number;
  cpusTotal: number;
  gpusUsed: number;
  gpusTotal: number;
}

/** A node as the totals see it: nothing once removed. */
export interface SampledNode {
  readonly record: NodeRecord;
  readonly removed: boolean;
}

type SampleRow = [string, string, string, number, number, number, number];

/**
 * Writes cluster_samples: each cluster's jobs per state and CPUs and GPUs (used, total), one row
 * per minute of event time in which they changed, holding the state after the last change of that
 * minute. The minute comes from the events' occurredAt and a row is final once a later minute's
 * change arrives, so the table depends on the events and their order only — never on how they
 * were split into batches: a rebuilt model has the same rows as the incrementally built one. An
 * event whose time is before the cluster's current minute (clocks disagree) counts in that minute.
 * The totals are kept in memory (the same counts as job_totals and the nodes table, which
 * reset() reads them from), so a change costs no query, and a batch writes one row per cluster
 * per minute it spans.
 */
export class ClusterSampleWriter {
  private readonly totals = new Map<string, Totals>();
  /** The minute each cluster's latest row is about. */
  private readonly minutes = new Map<string, string>();
  /** Clusters changed since their current minute's row was last written. */
  private readonly dirty = new Set<string>();
  /** Rows of minutes that ended within this batch, and so are final. */
  private readonly closed: SampleRow[] = [];
  private lastAt = '';
  private lastMinute = '';
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      jobTotals: db.prepare<[], { cluster: string; state: string; n: number }>(
        // SUM(n), not `n`: a bare `n` in HAVING is one row's column, not the alias.
        'SELECT cluster, state, SUM(n) AS n FROM job_totals GROUP BY cluster, state HAVING SUM(n) <> 0',
      ),
      nodeTotals: db.prepare<
        [],
        { cluster: string; cpus: number; cpus_used: number; gpus: number; gpus_used: number }
      >(
        `SELECT cluster,
           SUM(json_extract(record, '$.cpus')) AS cpus,
           SUM(json_extract(record, '$.cpusAllocated')) AS cpus_used,
           SUM(json_extract(record, '$.gpus')) AS gpus,
           SUM(json_extract(record, '$.gpusAllocated')) AS gpus_used
         FROM nodes WHERE removed = 0 GROUP BY cluster`,
      ),
      lastMinutes: db.prepare<[], { cluster: string; minute: string }>(
        'SELECT cluster, MAX(minute) AS minute FROM cluster_samples GROUP BY cluster',
      ),
      upsert: db.prepare(
        `INSERT OR REPLACE INTO cluster_samples
           (cluster, minute, jobs, cpus_used, cpus_total, gpus_used, gpus_total)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
    this.reset();
  }

  /** Re-reads the totals from the tables (after a failed transaction, memory may be ahead). */
  reset(): void {
    this.totals.clear();
    this.minutes.clear();
    this.dirty.clear();
    this.closed.length = 0;
    for (const { cluster, state, n } of this.stmt.jobTotals.all())
      this.of(cluster).jobs.set(state, n);
    for (const row of this.stmt.nodeTotals.all()) {
      const t = this.of(row.cluster);
      t.cpusTotal = row.cpus ?? 0;
      t.cpusUsed = row.cpus_used ?? 0;
      t.gpusTotal = row.gpus ?? 0;
      t.gpusUsed = row.gpus_used ?? 0;
    }
    for (const { cluster, minute } of this.stmt.lastMinutes.all())
      this.minutes.set(cluster, minute);
  }

  /** A job event folded: `before` is the job as it was (undefined for its first event). */
  job(before: JobRecord | undefined, after: JobRecord, occurredAt: string): void {
    if (before?.state === after.state) return;
    const t = this.changing(after.cluster, occurredAt);
    if (before) t.jobs.set(before.state, (t.jobs.get(before.state) ?? 0) - 1);
    t.jobs.set(after.state, (t.jobs.get(after.state) ?? 0) + 1);
  }

  /** A node event folded: `before` is the node as it was (undefined for its first event). */
  node(before: SampledNode | undefined, after: SampledNode, occurredAt: string): void {
    const b = counted(before);
    const a = counted(after);
    const cpusUsed = (a?.cpusAllocated ?? 0) - (b?.cpusAllocated ?? 0);
    const cpusTotal = (a?.cpus ?? 0) - (b?.cpus ?? 0);
    const gpusUsed = (a?.gpusAllocated ?? 0) - (b?.gpusAllocated ?? 0);
    const gpusTotal = (a?.gpus ?? 0) - (b?.gpus ?? 0);
    if (cpusUsed === 0 && cpusTotal === 0 && gpusUsed === 0 && gpusTotal === 0) return;
    const t = this.changing(after.record.cluster, occurredAt);
    t.cpusUsed += cpusUsed;
    t.cpusTotal += cpusTotal;
    t.gpusUsed += gpusUsed;
    t.gpusTotal += gpusTotal;
  }

  /** Writes the rows of this batch: minutes closed in it, and each changed cluster's current one. */
  flush(): void {
    for (const cluster of this.dirty) this.closed.push(this.row(cluster));
    for (const row of this.closed) this.stmt.upsert.run(...row);
    this.closed.length = 0;
    this.dirty.clear();
  }

  /** The cluster's totals, about to change at `occurredAt`: a new minute closes the last one. */
  private changing(cluster: string, occurredAt: string): Totals {
    // A poll's events share its time: the minute is worked out once for them all.
    if (occurredAt !== this.lastAt) {
      this.lastAt = occurredAt;
      this.lastMinute = minuteOf(occurredAt);
    }
    const minute = this.lastMinute;
    const current = this.minutes.get(cluster);
    if (current === undefined || minute > current) {
      if (current !== undefined && this.dirty.has(cluster)) this.closed.push(this.row(cluster));
      this.minutes.set(cluster, minute);
    }
    this.dirty.add(cluster);
    return this.of(cluster);
  }

  private of(cluster: string): Totals {
    let t = this.totals.get(cluster);
    if (!t) {
      t = { jobs: new Map(), cpusUsed: 0, cpusTotal: 0, gpusUsed: 0, gpusTotal: 0 };
      this.totals.set(cluster, t);
    }
    return t;
  }

  private row(cluster: string): SampleRow {
    const t = this.of(cluster);
    const jobs: Record<string, number> = {};
    for (const state of [...t.jobs.keys()].sort()) {
      const n = t.jobs.get(state)!;
      if (n !== 0) jobs[state] = n;
    }
    return [
      cluster,
      this.minutes.get(cluster)!,
      JSON.stringify(jobs),
      t.cpusUsed,
      t.cpusTotal,
      t.gpusUsed,
      t.gpusTotal,
    ];
  }
}

/** The node's record when it counts in its cluster's totals (not removed), else undefined. */
function counted(node: SampledNode | undefined): NodeRecord | undefined {
  return node && !node.removed ? node.record : undefined;
}
