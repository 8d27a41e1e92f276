import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { SqliteReadModel } from '../../src/adapters/store/sqlite-read-model.js';
import { minuteOf } from '../../src/domain/cluster-stats.js';
import { applyInBatches, history, openTempModel } from './read-model-support.js';

const disposers: (() => void)[] = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
});

function fresh(): { model: SqliteReadModel; file: string } {
  const opened = openTempModel();
  disposers.push(opened.dispose);
  return opened;
}

interface SampleRow {
  cluster: string;
  minute: string;
  jobs: string;
  cpus_used: number;
  cpus_total: number;
  gpus_used: number;
  gpus_total: number;
}

function samplesIn(file: string): SampleRow[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<[], SampleRow>('SELECT * FROM cluster_samples ORDER BY cluster, minute')
      .all();
  } finally {
    db.close();
  }
}

describe('cluster samples', () => {
  const events = history({ seed: 11, jobs: 300, clusters: 2, nodes: 8, users: 5 });

  it('are the same whatever the batches the events came in (a rebuild equals the live model)', () => {
    const one = fresh();
    const seven = fresh();
    const thousand = fresh();
    applyInBatches(one.model, events, 1);
    applyInBatches(seven.model, events, 7);
    applyInBatches(thousand.model, events, 1_000);
    const rows = samplesIn(one.file);
    expect(rows.length).toBeGreaterThan(10);
    expect(samplesIn(seven.file)).toEqual(rows);
    expect(samplesIn(thousand.file)).toEqual(rows);
  });

  it('hold at most one row per cluster per minute, of minutes in which something changed', () => {
    const { model, file } = fresh();
    applyInBatches(model, events, 100);
    const rows = samplesIn(file);
    const keys = rows.map((r) => `${r.cluster} ${r.minute}`);
    expect(new Set(keys).size).toBe(keys.length);
    const minutes = new Set(events.map((e) => minuteOf(e.occurredAt)));
    for (const row of rows) expect(minutes.has(row.minute)).toBe(true);
  });

  it('end on the state the cluster view shows', () => {
    const { model, file } = fresh();
    applyInBatches(model, events, 250);
    const rows = samplesIn(file);
    for (const view of model.listClusters({})) {
      const latest = rows.filter((r) => r.cluster === view.cluster).at(-1)!;
      expect(JSON.parse(latest.jobs)).toEqual(view.jobsByState);
      expect([latest.cpus_used, latest.cpus_total]).toEqual([view.cpus.allocated, view.cpus.total]);
      expect([latest.gpus_used, latest.gpus_total]).toEqual([view.gpus.allocated, view.gpus.total]);
    }
  });

  it('go on after a restart as if the model had never closed', () => {
    const once = fresh();
    applyInBatches(once.model, events, 500);
    const opened = openTempModel();
    const half = Math.floor(events.length / 2);
    applyInBatches(opened.model, events.slice(0, half), 90);
    opened.model.close();
    const reopened = SqliteReadModel.open(opened.file);
    disposers.push(() => {
      reopened.close();
      opened.dispose();
    });
    applyInBatches(reopened, events.slice(half), 90);
    expect(samplesIn(opened.file)).toEqual(samplesIn(once.file));
  });
});

describe('GetClusterStats', () => {
  const events = history({ seed: 3, jobs: 200, clusters: ['alpha', 'beta'], nodes: 8, users: 4 });
  const from = new Date(Date.parse(events[0]!.occurredAt) - 60_000).toISOString();
  const to = new Date(Date.parse(events.at(-1)!.occurredAt) + 120_000).toISOString();

  it('ends on the cluster view, and counts the wait of every job that started in the period', () => {
    const { model } = fresh();
    applyInBatches(model, events, 300);
    const stats = model.getClusterStats({ cluster: 'alpha', from, to, step: 600 })!;
    const view = model.getCluster('alpha', {})!;
    const end = stats.points.at(-1)!;
    expect(end.at).toBe(to);
    expect(end.jobs).toEqual(view.jobsByState);
    expect(end.cpus).toEqual({ used: view.cpus.allocated, total: view.cpus.total });
    expect(end.gpus).toEqual({ used: view.gpus.allocated, total: view.gpus.total });

    const started = model
      .listJobs({ cluster: 'alpha', limit: 1_000 })
      .items.filter((j) => j.startTime !== null);
    expect(started.length).toBeGreaterThan(0);
    const waits = started.map(
      (j) => (Date.parse(j.startTime!) - Date.parse(j.eligibleTime ?? j.submitTime!)) / 1_000,
    );
    const counted = stats.points.reduce((n, p) => n + p.waits.count, 0);
    expect(counted).toBe(started.length);
    const longest = Math.max(...stats.points.map((p) => p.waits.maxSeconds ?? 0));
    expect(longest).toBeCloseTo(Math.max(0, ...waits), 2);
  });

  it('answers null for an unknown cluster or one outside the caller’s clusters', () => {
    const { model } = fresh();
    applyInBatches(model, events, 300);
    expect(model.getClusterStats({ cluster: 'gamma', from, to, step: 600 })).toBeNull();
    expect(
      model.getClusterStats({ cluster: 'alpha', from, to, step: 600, onlyClusters: ['beta'] }),
    ).toBeNull();
  });

  it('refuses a period of more than 1000 points, or one that ends before it starts', () => {
    const { model } = fresh();
    expect(() =>
      model.getClusterStats({
        cluster: 'alpha',
        from: '2026-01-01T00:00:00Z',
        to: '2026-01-02T00:00:00Z',
        step: 60,
      }),
    ).toThrow(/step: at most 1000 points: step must be at least 87 seconds/);
    expect(() =>
      model.getClusterStats({ cluster: 'alpha', from: to, to: from, step: 600 }),
    ).toThrow(/from must be before to/);
  });
});
