import type {
  ChangeFeed,
  ClusterAsOf,
  ClusterStats,
  ClusterView,
  GetClusterAsOf,
  GetClusterChanges,
  GetClusterStats,
  ListJobs,
  ListNodes,
  JobHistory,
  JobPendingTime,
  JobRef,
  JobUserPropsList,
  JobView,
  NodeHistory,
  NodeView,
  Page,
  ChangeEntry,
  ReadChanges,
  UserJobCounts,
} from '@clocktower/contracts';
import type { RecordedEvent } from '@clocktower/event-store';

/** Who may see what: set by the gateway from the caller's API key (see the contracts' Scoped). */
export interface Scope {
  readonly onlyUser?: string;
  readonly onlyClusters?: readonly string[];
}

/** An event that could not be folded: kept aside with the reason, never retried blindly. */
export interface ParkedEvent {
  readonly position: bigint;
  readonly stream: string;
  readonly type: string;
  readonly reason: string;
}

export interface ApplyResult {
  /** Events set aside in this batch (also stored in the model's parked table). */
  readonly parked: readonly ParkedEvent[];
}

/**
 * The job-projection's read models (jobs, nodes, clusters, users, histories, pending time) in one
 * store, with the checkpoint kept in the same transaction as the models, so a restart resumes
 * exactly where the last committed batch ended and a batch delivered twice changes nothing.
 * Every method is synchronous (SQLite through better-sqlite3): a query never interleaves with a
 * batch being applied.
 */
export interface ReadModel {
  /** The position of the last event folded in (0n when empty). */
  position(): bigint;
  /**
   * Folds events (in position order) and stores `events.at(-1).position` as the checkpoint, in one
   * transaction. Events at or below the stored position are skipped (at-least-once delivery).
   * A malformed event is parked, never thrown.
   */
  applyBatch(events: readonly RecordedEvent[]): ApplyResult;
  /** The collector's latest poll of a cluster (a notification, not an event). */
  recordPoll(cluster: string, ok: boolean, polledAt: string): void;
  parkedCount(): number;

  listJobs(query: ListJobs): Page<JobView>;
  /** listJobs' page as JSON text, joined from stored text (the bus sends it without re-encoding). */
  listJobsJson(query: ListJobs): string;
  getJob(cluster: string, jobId: string, scope: Scope): JobView | null;
  getJobHistory(cluster: string, jobId: string, scope: Scope): JobHistory | null;
  getJobPendingTime(cluster: string, jobId: string, scope: Scope, now: Date): JobPendingTime | null;
  listNodes(query: ListNodes): Page<NodeView>;
  getNode(cluster: string, name: string, scope: Scope): NodeView | null;
  getNodeHistory(cluster: string, name: string, scope: Scope): NodeHistory | null;
  listClusters(scope: Scope): ClusterView[];
  getCluster(cluster: string, scope: Scope): ClusterView | null;
  listClusterUsers(cluster: string, scope: Scope): UserJobCounts[];
  getClusterAsOf(query: GetClusterAsOf): ClusterAsOf | null;
  getClusterChanges(query: GetClusterChanges): Page<ChangeEntry>;
  /** Null when the cluster is unknown or out of the query's scope. */
  getClusterStats(query: GetClusterStats): ClusterStats | null;
  readChanges(query: ReadChanges): ChangeFeed;
  /** One user's own props on these jobs (those without props left out), and the model's position. */
  listJobUserProps(userId: string, jobs: readonly JobRef[]): JobUserPropsList;

  close(): void;
}
