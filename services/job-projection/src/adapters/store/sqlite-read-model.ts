import { closeSync, fsyncSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type {
  ChangeEntry,
  ChangeFeed,
  ClusterAsOf,
  ClusterStats,
  ClusterView,
  GetClusterAsOf,
  GetClusterChanges,
  GetClusterStats,
  JobHistory,
  JobPendingTime,
  JobRef,
  JobUserPropsList,
  JobView,
  ListJobs,
  ListNodes,
  NodeHistory,
  NodeView,
  Page,
  ReadChanges,
  UserJobCounts,
} from '@clocktower/contracts';
import type { RecordedEvent } from '@clocktower/event-store';
import { toIsoUtc } from '../../domain/iso-time.js';
import { InvalidQueryError } from '../../domain/projection.errors.js';
import { AsOfQuery } from './as-of.query.js';
import { BatchWriter, HISTORY_INSERTS } from './batch-writer.js';
import { ChangesQuery } from './changes.query.js';
import { ClusterQuery } from './cluster.query.js';
import { ClusterStatsQuery } from './cluster-stats.query.js';
import { HistoryLoader } from './history-loader.js';
import { PastViews } from './history-rows.js';
import { JobDetailQuery } from './job-detail.query.js';
import { JobListQuery } from './job-list.query.js';
import { JobUserPropsQuery } from './job-user-props.query.js';
import { NodeQuery } from './node.query.js';
import type { ApplyResult, ReadModel, Scope } from './read-model.port.js';
import {
  CREATE_QUERY_INDEXES,
  CREATE_SCHEMA,
  MIGRATIONS,
  SCHEMA_VERSION,
} from './read-model.schema.js';

export interface SqliteReadModelOptions {
  /** Stamps parked events; tests pass a fixed one. */
  readonly clock?: () => Date;
  /** How long to wait for another connection's write lock. */
  readonly busyTimeoutMs?: number;
  /** Job views kept in memory between batches. */
  readonly jobCacheSize?: number;
  /**
   * For a rebuild into a fresh file that nothing reads yet (see openFresh): no journal and no
   * syncs, the query indexes created once at the end, job rows written back (once per job rather
   * than once per batch it changed in). A crash or a failed batch meanwhile leaves the file
   * unusable: discard it and rebuild again. Call finishBulkLoad() before the model serves queries.
   */
  readonly bulkLoad?: boolean;
}

/** Brings a model of an older schema to SCHEMA_VERSION, in one transaction. */
function migrate(db: Database.Database, file: string, from: number): void {
  db.transaction(() => {
    for (let version = from; version < SCHEMA_VERSION; version++) {
      const sql = MIGRATIONS[version];
      if (sql === undefined)
        throw new ReadModelSchemaError(
          `read model ${file} has schema ${version}, which this build cannot migrate: rebuild it`,
        );
      db.exec(sql);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

export class ReadModelSchemaError extends Error {
  readonly code = 'READ_MODEL_SCHEMA';
  constructor(message: string) {
    super(message);
    this.name = 'ReadModelSchemaError';
  }
}

/**
 * The read models in one SQLite file (better-sqlite3: synchronous, so a query never interleaves
 * with a batch). WAL lets readers of other connections go on while a batch commits; synchronous
 * NORMAL is safe with WAL (a crash loses at most the last batches, which the checkpoint makes
 * the subscription fold again).
 */
export class SqliteReadModel implements ReadModel {
  private readonly writer: BatchWriter;
  private readonly jobList: JobListQuery;
  private readonly jobDetail: JobDetailQuery;
  private readonly nodeQuery: NodeQuery;
  private readonly clusterQuery: ClusterQuery;
  private readonly asOf: AsOfQuery;
  private readonly changes: ChangesQuery;
  private readonly clusterStats: ClusterStatsQuery;
  private readonly userProps: JobUserPropsQuery;
  private closed = false;
  private bulkLoad: boolean;
  /** A bulk load's history, written on another thread until finishBulkLoad (history-loader.ts). */
  private historyLoader: HistoryLoader | undefined;

  private constructor(
    private readonly db: Database.Database,
    options: SqliteReadModelOptions,
  ) {
    this.bulkLoad = options.bulkLoad === true;
    const past = new PastViews(db);
    // A file's history can be loaded in a file beside it; an in-memory model's cannot.
    this.historyLoader =
      this.bulkLoad && !db.memory ? new HistoryLoader(db.name, HISTORY_INSERTS) : undefined;
    this.writer = new BatchWriter(
      db,
      options.clock ?? (() => new Date()),
      options.jobCacheSize,
      this.bulkLoad,
      this.historyLoader,
    );
    this.jobList = new JobListQuery(db);
    this.jobDetail = new JobDetailQuery(db);
    this.nodeQuery = new NodeQuery(db);
    this.clusterQuery = new ClusterQuery(db);
    this.asOf = new AsOfQuery(db, past);
    this.changes = new ChangesQuery(db, past);
    this.clusterStats = new ClusterStatsQuery(db);
    this.userProps = new JobUserPropsQuery(db);
  }

  /**
   * A new model in a fresh file for a rebuild (what RebuildProjection, the rebuild CLI and the
   * rebuild benchmark open): bulk-loaded until finishBulkLoad(). One place, so that what the
   * benchmark measures is what a rebuild runs.
   */
  static openFresh(
    file: string,
    options: Omit<SqliteReadModelOptions, 'bulkLoad'> = {},
  ): SqliteReadModel {
    return SqliteReadModel.open(file, { ...options, bulkLoad: true });
  }

  /** Opens (creating when absent) the read model in `file`. */
  static open(file: string, options: SqliteReadModelOptions = {}): SqliteReadModel {
    const db = new Database(file);
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
      if (options.bulkLoad === true) {
        // Nothing reads the file until finishBulkLoad, and a failed batch discards it (with rows
        // written back, a rollback would not restore a consistent model anyway): no journal, no
        // syncs.
        db.pragma('journal_mode = OFF');
        db.pragma('synchronous = OFF');
      } else {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      // Rebuilds write hundreds of MB: a larger page cache keeps the hot index pages in memory.
      db.pragma('cache_size = -65536');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION)
        throw new ReadModelSchemaError(
          `read model ${file} has schema ${version}, this build knows ${SCHEMA_VERSION}: rebuild it or upgrade`,
        );
      if (version > 0 && version < SCHEMA_VERSION) migrate(db, file, version);
      db.exec(CREATE_SCHEMA);
      if (options.bulkLoad !== true) db.exec(CREATE_QUERY_INDEXES);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      return new SqliteReadModel(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Leaves bulk-load mode (a no-op when not in it): writes the jobs still in memory, creates the
   * query indexes, takes the history its loader wrote on the other core (whose indexes it built
   * meanwhile) in one copy, switches to WAL and normal syncs, and syncs the file, so that once this
   * settles the model survives a crash of the machine and may become the active one.
   */
  async finishBulkLoad(): Promise<void> {
    if (!this.bulkLoad) return;
    const loader = this.historyLoader;
    // The loader builds the history's indexes while this thread writes the jobs and theirs.
    const loaded = loader?.finish();
    this.writer.endBulkLoad();
    // With a loader, `history` is still empty here: its indexes cost nothing, and an empty table
    // with the same indexes is what lets SQLite copy the loaded one cell by cell, nothing sorted.
    this.db.exec(CREATE_QUERY_INDEXES);
    if (loader) {
      await loaded;
      this.db.prepare('ATTACH DATABASE ? AS loaded').run(loader.file);
      try {
        this.db.exec('INSERT INTO main.history SELECT * FROM loaded.history');
      } finally {
        this.db.exec('DETACH DATABASE loaded');
      }
      this.historyLoader = undefined;
    }
    // The loader's file is deleted (a few hundred MB: a tenth of a second) while this syncs.
    const disposed = loader?.dispose();
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('journal_mode = WAL');
    // Every write so far went to the OS without a sync: one fsync makes all of it durable.
    if (!this.db.memory) {
      const fd = openSync(this.db.name, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    await disposed;
    this.bulkLoad = false;
  }

  /**
   * During a bulk load: undefined when the next batch may come now, else settles once the history
   * loader has caught up (a bounded backlog, whatever the disk's speed). Otherwise undefined.
   */
  ready(): Promise<void> | undefined {
    return this.historyLoader?.ready();
  }

  position(): bigint {
    return BigInt(this.writer.position());
  }

  applyBatch(events: readonly RecordedEvent[]): ApplyResult {
    if (events.length === 0) return { parked: [] };
    return this.writer.apply(events);
  }

  recordPoll(cluster: string, ok: boolean, polledAt: string): void {
    const time = toIsoUtc(polledAt);
    if (time === null) throw new InvalidQueryError('polledAt', `not an ISO 8601 time: ${polledAt}`);
    this.writer.recordPoll(cluster, ok, time);
  }

  parkedCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM parked').get() as { n: number }).n;
  }

  listJobs(query: ListJobs): Page<JobView> {
    return this.jobList.run(query);
  }

  listJobsJson(query: ListJobs): string {
    return this.jobList.runJson(query);
  }

  getJob(cluster: string, jobId: string, scope: Scope): JobView | null {
    return this.jobDetail.getJob(cluster, jobId, scope);
  }

  getJobHistory(cluster: string, jobId: string, scope: Scope): JobHistory | null {
    return this.jobDetail.getJobHistory(cluster, jobId, scope);
  }

  getJobPendingTime(
    cluster: string,
    jobId: string,
    scope: Scope,
    now: Date,
  ): JobPendingTime | null {
    return this.jobDetail.getJobPendingTime(cluster, jobId, scope, now);
  }

  listNodes(query: ListNodes): Page<NodeView> {
    return this.nodeQuery.listNodes(query);
  }

  getNode(cluster: string, name: string, scope: Scope): NodeView | null {
    return this.nodeQuery.getNode(cluster, name, scope);
  }

  getNodeHistory(cluster: string, name: string, scope: Scope): NodeHistory | null {
    return this.nodeQuery.getNodeHistory(cluster, name, scope);
  }

  listClusters(scope: Scope): ClusterView[] {
    return this.clusterQuery.listClusters(scope);
  }

  getCluster(cluster: string, scope: Scope): ClusterView | null {
    return this.clusterQuery.getCluster(cluster, scope);
  }

  listClusterUsers(cluster: string, scope: Scope): UserJobCounts[] {
    return this.clusterQuery.listClusterUsers(cluster, scope);
  }

  getClusterAsOf(query: GetClusterAsOf): ClusterAsOf | null {
    return this.asOf.run(query);
  }

  getClusterChanges(query: GetClusterChanges): Page<ChangeEntry> {
    return this.changes.clusterChanges(query);
  }

  getClusterStats(query: GetClusterStats): ClusterStats | null {
    return this.clusterStats.run(query);
  }

  readChanges(query: ReadChanges): ChangeFeed {
    return this.changes.readChanges(query, this.writer.position());
  }

  listJobUserProps(userId: string, jobs: readonly JobRef[]): JobUserPropsList {
    return {
      items: this.userProps.list(userId, jobs),
      projectedPosition: String(this.writer.position()),
    };
  }

  /**
   * Closes a model that will not be used (a failed rebuild's), and settles once nothing writes
   * beside its file any more: a bulk load's history thread stopped, its file deleted.
   */
  async discard(): Promise<void> {
    const loader = this.historyLoader;
    this.historyLoader = undefined;
    this.close();
    await loader?.dispose();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A bulk load that never finished: its loader's thread stops and its file goes.
    void this.historyLoader?.dispose().catch(() => undefined);
    this.historyLoader = undefined;
    // Lets SQLite gather the statistics its planner uses, cheaply, as its docs advise at close.
    this.db.pragma('optimize');
    this.db.close();
  }
}
