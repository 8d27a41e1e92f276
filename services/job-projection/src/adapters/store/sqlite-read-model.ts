import Database from 'better-sqlite3';
import type {
  ChangeEntry,
  ChangeFeed,
  ClusterAsOf,
  ClusterView,
  GetClusterAsOf,
  GetClusterChanges,
  JobHistory,
  JobPendingTime,
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
import { BatchWriter } from './batch-writer.js';
import { ChangesQuery } from './changes.query.js';
import { ClusterQuery } from './cluster.query.js';
import { PastViews } from './history-rows.js';
import { JobDetailQuery } from './job-detail.query.js';
import { JobListQuery } from './job-list.query.js';
import { NodeQuery } from './node.query.js';
import type { ApplyResult, ReadModel, Scope } from './read-model.port.js';
import { CREATE_SCHEMA, SCHEMA_VERSION } from './read-model.schema.js';

export interface SqliteReadModelOptions {
  /** Stamps parked events; tests pass a fixed one. */
  readonly clock?: () => Date;
  /** How long to wait for another connection's write lock. */
  readonly busyTimeoutMs?: number;
  /** Job views kept in memory between batches. */
  readonly jobCacheSize?: number;
  /**
   * For a rebuild into a fresh file that nothing reads yet: the rollback journal kept in memory
   * and no syncs, which folds a large history markedly faster than WAL (every page written once,
   * not to the WAL and then again to the file). A crash meanwhile can leave the file unusable:
   * discard it and rebuild again. Call finishBulkLoad() before the model serves queries.
   */
  readonly bulkLoad?: boolean;
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
  private closed = false;
  private bulkLoad: boolean;

  private constructor(
    private readonly db: Database.Database,
    options: SqliteReadModelOptions,
  ) {
    this.bulkLoad = options.bulkLoad === true;
    const past = new PastViews(db);
    this.writer = new BatchWriter(db, options.clock ?? (() => new Date()), options.jobCacheSize);
    this.jobList = new JobListQuery(db);
    this.jobDetail = new JobDetailQuery(db);
    this.nodeQuery = new NodeQuery(db);
    this.clusterQuery = new ClusterQuery(db);
    this.asOf = new AsOfQuery(db, past);
    this.changes = new ChangesQuery(db, past);
  }

  /** Opens (creating when absent) the read model in `file`. */
  static open(file: string, options: SqliteReadModelOptions = {}): SqliteReadModel {
    const db = new Database(file);
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
      if (options.bulkLoad === true) {
        db.pragma('journal_mode = MEMORY');
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
      db.exec(CREATE_SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      return new SqliteReadModel(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Leaves bulk-load mode: WAL and normal syncs from now on (a no-op when not in it). */
  finishBulkLoad(): void {
    if (!this.bulkLoad) return;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.bulkLoad = false;
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

  readChanges(query: ReadChanges): ChangeFeed {
    return this.changes.readChanges(query, this.writer.position());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Lets SQLite gather the statistics its planner uses, cheaply, as its docs advise at close.
    this.db.pragma('optimize');
    this.db.close();
  }
}
