import { afterEach, describe, expect, it } from '@jest/globals';
import {
  JobResourcesChanged,
  JobStateChanged,
  JobSubmitted,
  UserCreated,
} from '@clocktower/contracts';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type RecordedEvent } from '@clocktower/event-store';
import { until } from '@clocktower/testing';
import { HistoryLoader } from '../../src/adapters/store/history-loader.js';
import type { SqliteReadModel } from '../../src/adapters/store/sqlite-read-model.js';
import {
  applyInBatches,
  EventLog,
  history,
  jobRecord,
  openTempModel,
} from './read-model-support.js';

const disposers: (() => void)[] = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
});

function fresh(): SqliteReadModel {
  const { model, dispose } = openTempModel();
  disposers.push(dispose);
  return model;
}

/** Every kind of answer the model gives, for comparing two models. */
function everything(model: SqliteReadModel, at: string): unknown {
  const jobs = model.listJobs({ limit: 1000, sort: 'jobId' });
  const sample = jobs.items.filter((_, i) => i % 25 === 0);
  return {
    position: model.position(),
    jobs,
    byUser: model.listJobs({ user: 'user003', state: ['finished'], limit: 1000 }),
    histories: sample.map((j) => model.getJobHistory(j.cluster, j.jobId, {})),
    pending: sample.map((j) => model.getJobPendingTime(j.cluster, j.jobId, {}, new Date(at))),
    nodes: model.listNodes({ limit: 1000 }),
    nodeHistory: model.getNodeHistory('alpha', 'cn001', {}),
    clusters: model.listClusters({}),
    users: model.listClusterUsers('alpha', {}),
    asOf: model.getClusterAsOf({ cluster: 'alpha', time: at, limit: 1000 }),
    changes: model.getClusterChanges({
      cluster: 'alpha',
      from: '2000-01-01T00:00:00Z',
      to: at,
      limit: 1000,
    }),
    feed: model.readChanges({ afterPosition: '0', limit: 1000 }),
  };
}

describe('applyBatch', () => {
  const events = history({ seed: 5, jobs: 250, clusters: 2, nodes: 8, users: 6 });
  const midway = events[Math.floor(events.length / 2)]!.occurredAt;

  it('yields the same read model whether history comes in batches of 1 or of 1000', () => {
    const one = fresh();
    const thousand = fresh();
    applyInBatches(one, events, 1);
    applyInBatches(thousand, events, 1000);
    expect(everything(one, midway)).toEqual(everything(thousand, midway));
  });

  it('is idempotent: events at or below the checkpoint change nothing when delivered again', () => {
    const once = fresh();
    const twice = fresh();
    applyInBatches(once, events, 300);
    applyInBatches(twice, events.slice(0, 400), 150);
    // A redelivery overlapping what is folded, then everything again.
    applyInBatches(twice, events.slice(200), 170);
    applyInBatches(twice, events, 1000);
    expect(twice.position()).toBe(events.at(-1)!.position);
    expect(everything(twice, midway)).toEqual(everything(once, midway));
  });

  /** The same events folded into a live model and into a bulk-loaded one (not finished yet). */
  function liveAndBulk(
    from: readonly RecordedEvent[],
    batch: number,
  ): { normal: SqliteReadModel; normalFile: string; bulk: SqliteReadModel; file: string } {
    const live = openTempModel();
    const loaded = openTempModel('bulk.db', { bulkLoad: true });
    disposers.push(live.dispose, loaded.dispose);
    applyInBatches(live.model, from, batch);
    applyInBatches(loaded.model, from, batch);
    return { normal: live.model, normalFile: live.file, bulk: loaded.model, file: loaded.file };
  }

  it('folds the same in bulk-load mode, then serves from a WAL file', async () => {
    const { normal, normalFile, bulk, file } = liveAndBulk(events, 1000);
    // Its history is written on another thread, into a file beside it, until the end.
    await until('the history file', () => existsSync(HistoryLoader.fileOf(file)));
    await bulk.finishBulkLoad();
    expect(existsSync(HistoryLoader.fileOf(file))).toBe(false);
    applyInBatches(bulk, events, 1000);
    expect(everything(bulk, midway)).toEqual(everything(normal, midway));
    const reader = new Database(file, { readonly: true });
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    const history = (db: Database.Database): unknown[] =>
      db.prepare('SELECT * FROM history ORDER BY position').all();
    const normalReader = new Database(normalFile, { readonly: true });
    expect(history(reader)).toEqual(history(normalReader));
    expect(history(reader)).toHaveLength(events.length);
    for (const index of ['history_ref', 'history_cluster'])
      expect(
        reader
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?")
          .get(index),
      ).toEqual({ name: index });
    // The file that takes the model's place is the history loader's, every other table copied
    // into it: the same tables and indexes, defined the same, and the same schema version.
    const schema = (db: Database.Database): unknown[] =>
      db
        .prepare(
          "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name",
        )
        .all();
    expect(schema(reader)).toEqual(schema(normalReader));
    expect(schema(reader).length).toBeGreaterThan(20);
    expect(reader.pragma('user_version', { simple: true })).toBe(
      normalReader.pragma('user_version', { simple: true }),
    );
    normalReader.close();
    reader.close();
  });

  it('bulk-loads job_nodes, snapshots and the cluster summaries as a live model folds them', async () => {
    // Two nodes share every job: their streams run to hundreds of events, many snapshots.
    const long = history({ seed: 4, jobs: 300, nodes: 2, meanSubmitIntervalSeconds: 900 });
    const { normal, normalFile, bulk, file } = liveAndBulk(long, 97);
    await bulk.finishBulkLoad();
    const reader = new Database(file, { readonly: true });
    const normalReader = new Database(normalFile, { readonly: true });
    try {
      for (const select of [
        'SELECT * FROM job_nodes ORDER BY node, cluster, job',
        'SELECT * FROM snapshots ORDER BY stream, position',
      ]) {
        const rows = reader.prepare(select).all();
        expect({ select, rows: rows.length }).not.toEqual({ select, rows: 0 });
        expect(rows).toEqual(normalReader.prepare(select).all());
      }
    } finally {
      normalReader.close();
      reader.close();
    }
    const when = long[Math.floor(long.length / 2)]!.occurredAt;
    expect(everything(bulk, when)).toEqual(everything(normal, when));
  });

  it('keeps a bulk load’s history backlog bounded: ready() waits until the loader catches up', async () => {
    const normal = fresh();
    applyInBatches(normal, events, 1000);
    const { model: bulk, dispose } = openTempModel('bulk.db', { bulkLoad: true });
    disposers.push(dispose);
    // Twenty batches handed over without yielding: none of the loader's acknowledgements is in.
    applyInBatches(bulk, events, Math.ceil(events.length / 20));
    const waiting = bulk.ready();
    expect(waiting).toBeInstanceOf(Promise);
    await waiting;
    expect(bulk.ready()).toBeUndefined();
    await bulk.finishBulkLoad();
    expect(everything(bulk, midway)).toEqual(everything(normal, midway));
  });

  it('stops a bulk load’s history thread and deletes its file when closed before the end', async () => {
    const { model: bulk, file, dispose } = openTempModel('bulk.db', { bulkLoad: true });
    disposers.push(dispose);
    applyInBatches(bulk, events, 1000);
    await until('the history file', () => existsSync(HistoryLoader.fileOf(file)));
    bulk.close();
    await until('the history file deleted', () => !existsSync(HistoryLoader.fileOf(file)));
  });

  it('folds the same in bulk-load mode when jobs leave the cache and are written back', async () => {
    const normal = fresh();
    applyInBatches(normal, events, 1000);
    // 250 jobs through a cache of 20: most are written on eviction, and read back when their
    // stream goes on.
    const { model: bulk, dispose } = openTempModel('bulk.db', { bulkLoad: true, jobCacheSize: 20 });
    disposers.push(dispose);
    applyInBatches(bulk, events, 170);
    await bulk.finishBulkLoad();
    expect(everything(bulk, midway)).toEqual(everything(normal, midway));
  });

  it('stores the store’s own data text in history: the same rows as data stringified again', async () => {
    // Events read from the SQLite store carry their data's JSON text (dataJson), which the
    // history rows keep as is; the same events as plain objects have their data stringified.
    const dir = mkdtempSync(join(tmpdir(), 'ct-read-model-store-'));
    disposers.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = SqliteEventStore.open({ file: join(dir, 'events.db') });
    for (const event of events)
      await store.append(event.stream, [event], { expectedRevision: 'any' });
    const stored: RecordedEvent[] = [];
    for await (const event of store.readAll()) stored.push(event);
    await store.close();
    expect(stored.every((e) => typeof e.dataJson === 'string')).toBe(true);
    const plain = stored.map((e) => ({ ...e }));
    expect(plain.some((e) => 'dataJson' in e)).toBe(false);
    const fromStore = openTempModel('from-store.db', { bulkLoad: true });
    const fromObjects = openTempModel('from-objects.db', { bulkLoad: true });
    disposers.push(fromStore.dispose, fromObjects.dispose);
    applyInBatches(fromStore.model, stored, 1000);
    applyInBatches(fromObjects.model, plain, 1000);
    await fromStore.model.finishBulkLoad();
    await fromObjects.model.finishBulkLoad();
    expect(everything(fromStore.model, midway)).toEqual(everything(fromObjects.model, midway));
    const rows = (file: string): unknown[] => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT * FROM history ORDER BY position').all();
      } finally {
        db.close();
      }
    };
    const storeRows = rows(fromStore.file);
    expect(storeRows).toHaveLength(stored.length);
    expect(storeRows).toEqual(rows(fromObjects.file));
  });

  it('stores the position of the batch’s last event as the checkpoint, even of an ignored category', () => {
    const model = fresh();
    const log = new EventLog();
    log.add(
      JobSubmitted,
      'job-alpha-1-1',
      {
        cluster: 'alpha',
        jobId: '1',
        observedIn: 'squeue',
        record: jobRecord({ jobId: '1' }),
        slurmTime: null,
      },
      '2024-05-01T10:00:00.000Z',
    );
    log.add(UserCreated, 'user-u1', { userId: 'u1' }, '2024-05-01T10:00:01.000Z');
    expect(model.applyBatch(log.events).parked).toEqual([]);
    expect(model.position()).toBe(2n);
    expect(model.parkedCount()).toBe(0);
    expect(model.readChanges({ afterPosition: '0' }).items.map((c) => c.type)).toEqual([
      'JobSubmitted',
    ]);
  });
});

describe('a malformed event', () => {
  it('is parked with its reason, skipped, and returned, never thrown', () => {
    const model = fresh();
    const log = new EventLog();
    const at = '2024-05-01T10:00:00.000Z';
    const base = { cluster: 'alpha', jobId: '1', observedIn: 'squeue' };
    log.add(
      JobSubmitted,
      'job-alpha-1-1',
      { ...base, record: jobRecord({ jobId: '1' }), slurmTime: null },
      at,
    );
    log.add({ type: 'JobTeleported', schemaVersion: 1 }, 'job-alpha-1-1', base, at);
    log.add(JobStateChanged, 'job-alpha-1-1', { ...base, from: 'PENDING' }, at);
    log.add(
      JobResourcesChanged,
      'job-alpha-1-1',
      { ...base, changes: { jobId: { from: '1', to: '2' } } },
      at,
    );
    log.add(
      JobStateChanged,
      'job-alpha-2-1',
      { ...base, jobId: '2', from: 'PENDING', to: 'RUNNING', reason: null, slurmTime: null },
      at,
    );
    log.add(
      JobStateChanged,
      'job-alpha-1-1',
      { ...base, from: 'PENDING', to: 'RUNNING', reason: null, slurmTime: null },
      'yesterday',
    );
    log.add(
      JobStateChanged,
      'job-alpha-1-1',
      { ...base, from: 'PENDING', to: 'RUNNING', reason: null, slurmTime: null },
      at,
    );

    const result = model.applyBatch(log.events);

    expect(result.parked.map((p) => [p.position, p.reason])).toEqual([
      [2n, expect.stringContaining('unknown job event type "JobTeleported"')],
      [3n, expect.stringContaining('JobStateChanged.to: missing')],
      [4n, expect.stringContaining('changes.jobId: not a field that can change')],
      [5n, expect.stringContaining('no JobSubmitted before it')],
      [6n, expect.stringContaining('occurredAt: not a time')],
    ]);
    expect(model.parkedCount()).toBe(5);
    expect(model.position()).toBe(7n);
    expect(model.getJob('alpha', '1', {})?.state).toBe('RUNNING');
    expect(model.getJobHistory('alpha', '1', {})?.events.map((e) => e.position)).toEqual([
      '1',
      '7',
    ]);
  });
});
