import { closeSync, fsyncSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
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
import { BatchWriter, LOADED_TABLES } from './batch-writer.js';
import { ChangesQuery } from './changes.query.js';
import { ClusterQuery } from './cluster.query.js';
import { ClusterStatsQuery } from './cluster-stats.query.js';
import { HistoryLoader } from './history-loader.js';
import { PastViews } from './history-rows.js';
import { JobDetailQuery } from './job-detail.query.js';
import { JobListQuery } from './job-list.query.js';
import { JobUserPropsQuery } from './job-user-props.query.js';
import { DEFAULT_BULK_JOB_CACHE, DEFAULT_JOB_CACHE } from './job-writer.js';
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
  /**
   * Job views kept in memory between batches (default: DEFAULT_JOB_CACHE; in a bulk load,
   * DEFAULT_BULK_JOB_CACHE).
   */
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

/** Opens `file` as a read model of this build: its pragmas, schema and migrations. */
function openDatabase(file: string, options: SqliteReadModelOptions): Database.Database {
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
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** fsync of a file or a directory (a rename is durable once its directory is synced). */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies every table of `db` but `except` into the database in `file`, where they are created
 * first with the same definitions and indexes: SQLite then moves each table's rows and index
 * entries into the empty copy as they are, nothing sorted again (its transfer optimisation). The
 * file takes this build's schema version. No journal: the file is thrown away if this fails.
 */
function copyTablesInto(db: Database.Database, file: string, except: readonly string[]): void {
  db.prepare('ATTACH DATABASE ? AS target').run(file);
  try {
    db.pragma('target.journal_mode = OFF');
    db.pragma('target.synchronous = OFF');
    const objects = db
      .prepare<[], { type: string; name: string; tbl_name: string; sql: string }>(
        `SELECT type, name, tbl_name, sql FROM main.sqlite_schema
         WHERE type IN ('table', 'index') AND sql IS NOT NULL
           AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY type = 'index'`,
      )
      .all()
      .filter((o) => !except.includes(o.tbl_name));
    for (const { name, sql } of objects) {
      // sqlite_schema keeps the statement normalized: "CREATE TABLE name", "CREATE INDEX name".
      const created = sql.replace(/^CREATE (TABLE|INDEX|UNIQUE INDEX) /, 'CREATE $1 target.');
      if (created === sql) throw new Error(`cannot copy ${name}: unexpected definition ${sql}`);
      db.exec(created);
    }
    for (const { type, name } of objects)
      if (type === 'table') db.exec(`INSERT INTO target."${name}" SELECT * FROM main."${name}"`);
    db.pragma(`target.user_version = ${SCHEMA_VERSION}`);
  } finally {
    db.exec('DETACH DATABASE target');
  }
}

/** A model's connection and everything prepared on it. */
interface Parts {
  readonly db: Database.Database;
  readonly writer: BatchWriter;
  readonly jobList: JobListQuery;
  readonly jobDetail: JobDetailQuery;
  readonly nodeQuery: NodeQuery;
  readonly clusterQuery: ClusterQuery;
  readonly asOf: AsOfQuery;
  readonly changes: ChangesQuery;
  readonly clusterStats: ClusterStatsQuery;
  readonly userProps: JobUserPropsQuery;
}

function partsOf(
  db: Database.Database,
  options: SqliteReadModelOptions,
  bulkLoad: boolean,
  historyLoader: HistoryLoader | undefined,
): Parts {
  const past = new PastViews(db);
  return {
    db,
    writer: new BatchWriter(
      db,
      options.clock ?? (() => new Date()),
      options.jobCacheSize ?? (bulkLoad ? DEFAULT_BULK_JOB_CACHE : DEFAULT_JOB_CACHE),
      bulkLoad,
      historyLoader,
    ),
    jobList: new JobListQuery(db),
    jobDetail: new JobDetailQuery(db),
    nodeQuery: new NodeQuery(db),
    clusterQuery: new ClusterQuery(db),
    asOf: new AsOfQuery(db, past),
    changes: new ChangesQuery(db, past),
    clusterStats: new ClusterStatsQuery(db),
    userProps: new JobUserPropsQuery(db),
  };
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
  /** The connection and what is prepared on it; replaced once, when a bulk load's file is. */
  private parts: Parts;
  private closed = false;
  private bulkLoad: boolean;
  /** A bulk load's history, written on another thread until finishBulkLoad (history-loader.ts). */
  private historyLoader: HistoryLoader | undefined;

  private constructor(
    db: Database.Database,
    private readonly options: SqliteReadModelOptions,
  ) {
    this.bulkLoad = options.bulkLoad === true;
    // A file's history can be loaded in a file beside it; an in-memory model's cannot.
    this.historyLoader =
      this.bulkLoad && !db.memory ? new HistoryLoader(db.name, LOADED_TABLES) : undefined;
    this.parts = partsOf(db, options, this.bulkLoad, this.historyLoader);
  }

  private get db(): Database.Database {
    return this.parts.db;
  }

  private get writer(): BatchWriter {
    return this.parts.writer;
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
    return new SqliteReadModel(openDatabase(file, options), options);
  }

  /**
   * Leaves bulk-load mode (a no-op when not in it), so that once this settles the model serves
   * queries and survives a crash of the machine. It writes the jobs still in memory and creates
   * the query indexes. In memory, it then switches to normal syncs. In a file, the history
   * loader's file becomes the model: it holds the history, by far the larger part (450 of 660 MB
   * for 1,000,000 events), whose indexes the loader built on the other core meanwhile; every other
   * table is copied into it (copyTablesInto), it is synced, renamed over this model's file and
   * opened again as an ordinary model (WAL, normal syncs). Copying the history the other way, into
   * this file, took 1.6-2.6 s here; copying the rest takes about 0.5 s.
   */
  async finishBulkLoad(): Promise<void> {
    if (!this.bulkLoad) return;
    const loader = this.historyLoader;
    // The loader builds the history's indexes while this thread writes the jobs and theirs.
    loader?.buildIndexes();
    this.writer.endBulkLoad();
    this.db.exec(CREATE_QUERY_INDEXES);
    if (loader) {
      await loader.finish();
      const file = this.db.name;
      copyTablesInto(
        this.db,
        loader.file,
        loader.tables.map((t) => t.name),
      );
      this.db.close();
      // SQLite never synced (synchronous = OFF): one fsync makes all of it durable, then the
      // rename, then the directory's entry.
      fsyncPath(loader.file);
      renameSync(loader.file, file);
      fsyncPath(dirname(file));
      const options = { ...this.options, bulkLoad: false };
      this.parts = partsOf(openDatabase(file, options), options, false, undefined);
      // The loader's thread stops; its file is this model's now.
      await loader.dispose();
      this.historyLoader = undefined;
    } else {
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('journal_mode = WAL');
    }
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
    return this.parts.jobList.run(query);
  }

  listJobsJson(query: ListJobs): string {
    return this.parts.jobList.runJson(query);
  }

  getJob(cluster: string, jobId: string, scope: Scope): JobView | null {
    return this.parts.jobDetail.getJob(cluster, jobId, scope);
  }

  getJobHistory(cluster: string, jobId: string, scope: Scope): JobHistory | null {
    return this.parts.jobDetail.getJobHistory(cluster, jobId, scope);
  }

  getJobPendingTime(
    cluster: string,
    jobId: string,
    scope: Scope,
    now: Date,
  ): JobPendingTime | null {
    return this.parts.jobDetail.getJobPendingTime(cluster, jobId, scope, now);
  }

  listNodes(query: ListNodes): Page<NodeView> {
    return this.parts.nodeQuery.listNodes(query);
  }

  getNode(cluster: string, name: string, scope: Scope): NodeView | null {
    return this.parts.nodeQuery.getNode(cluster, name, scope);
  }

  getNodeHistory(cluster: string, name: string, scope: Scope): NodeHistory | null {
    return this.parts.nodeQuery.getNodeHistory(cluster, name, scope);
  }

  listClusters(scope: Scope): ClusterView[] {
    return this.parts.clusterQuery.listClusters(scope);
  }

  getCluster(cluster: string, scope: Scope): ClusterView | null {
    return this.parts.clusterQuery.getCluster(cluster, scope);
  }

  listClusterUsers(cluster: string, scope: Scope): UserJobCounts[] {
    return this.parts.clusterQuery.listClusterUsers(cluster, scope);
  }

  getClusterAsOf(query: GetClusterAsOf): ClusterAsOf | null {
    return this.parts.asOf.run(query);
  }

  getClusterChanges(query: GetClusterChanges): Page<ChangeEntry> {
    return this.parts.changes.clusterChanges(query);
  }

  getClusterStats(query: GetClusterStats): ClusterStats | null {
    return this.parts.clusterStats.run(query);
  }

  readChanges(query: ReadChanges): ChangeFeed {
    return this.parts.changes.readChanges(query, this.writer.position());
  }

  listJobUserProps(userId: string, jobs: readonly JobRef[]): JobUserPropsList {
    return {
      items: this.parts.userProps.list(userId, jobs),
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
    // Closed already when finishBulkLoad failed between its file's close and its reopening.
    if (!this.db.open) return;
    // Lets SQLite gather the statistics its planner uses, cheaply, as its docs advise at close.
    this.db.pragma('optimize');
    this.db.close();
  }
}
