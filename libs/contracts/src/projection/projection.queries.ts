import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MessageKind } from '../messages/message-class.js';
import type { JobRecord, NodeRecord } from '../slurm/job-record.js';
import { JOB_STATE_FILTER_VALUES } from './job-state-groups.js';

/**
 * Queries answered by job-projection (queue group `job-projection`, so replicas share them), and
 * the commands that administer its read models. Replies are plain JSON: positions travel as
 * decimal strings (bigint does not survive JSON), times as ISO 8601.
 */
const query = {
  kind: MessageKind.Query,
  schemaVersion: 1,
  service: 'job-projection',
} as const;

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 1_000;
export const JOB_SORT_FIELDS = [
  'submitTime',
  'eligibleTime',
  'startTime',
  'endTime',
  'updatedAt',
  'jobId',
  'user',
  'state',
] as const;
export type JobSortField = (typeof JOB_SORT_FIELDS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/**
 * Who is asking, as the gateway decided from the API key: `onlyUser` restricts to one Slurm user's
 * jobs, `onlyClusters` to some clusters. Absent: no restriction (an admin, or a site that shows
 * every job to everyone).
 */
abstract class Scoped {
  @IsOptional() @IsString() @IsNotEmpty() onlyUser?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) onlyClusters?: string[];
}

abstract class Paged extends Scoped {
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PAGE_LIMIT) limit?: number;
  /** Opaque, from the previous page's `nextCursor`. Exclusive with `page`. */
  @IsOptional() @IsString() @MaxLength(2_000) cursor?: string;
  /** 1-based page number (offset paging), for a UI that jumps to page N. */
  @IsOptional() @IsInt() @Min(1) page?: number;
}

/** The filters of a job list; also the filters of the change feed (SSE). */
export abstract class JobFilter extends Paged {
  @IsOptional() @IsString() @IsNotEmpty() cluster?: string;
  @IsOptional() @IsString() @IsNotEmpty() user?: string;
  @IsOptional() @IsString() @IsNotEmpty() account?: string;
  @IsOptional() @IsString() @IsNotEmpty() partition?: string;
  /** Slurm states (`FAILED`) and groups (`pending`, `running`, `finished`, `failed`), any of. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsIn(JOB_STATE_FILTER_VALUES, { each: true })
  state?: string[];
  /** Jobs that ran (or run) on this node. */
  @IsOptional() @IsString() @IsNotEmpty() node?: string;
  /** Case-insensitive substring of the job's name. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) nameContains?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(1_000) @IsString({ each: true }) jobIds?: string[];
  @IsOptional() @IsString() @IsNotEmpty() arrayJobId?: string;
  @IsOptional() @IsISO8601({ strict: true }) submittedFrom?: string;
  @IsOptional() @IsISO8601({ strict: true }) submittedTo?: string;
  @IsOptional() @IsISO8601({ strict: true }) startedFrom?: string;
  @IsOptional() @IsISO8601({ strict: true }) startedTo?: string;
  @IsOptional() @IsISO8601({ strict: true }) endedFrom?: string;
  @IsOptional() @IsISO8601({ strict: true }) endedTo?: string;
}

/** A job as the read model holds it: the record, and where its history stands. */
export interface JobView extends JobRecord {
  /** The job's stream (one life of the job: a reused job id is another stream). */
  readonly stream: string;
  /** When Clocktower last saw it change (the last event's occurredAt). */
  readonly updatedAt: string;
  /** Global position of the last event folded in. */
  readonly position: string;
}

export interface NodeView extends NodeRecord {
  readonly stream: string;
  readonly updatedAt: string;
  readonly position: string;
  /** True once the node disappeared from sinfo (NodeRemoved). */
  readonly removed: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** How many match the filters, all pages together. */
  readonly total: number;
  /** Pass as `cursor` for the next page; null on the last. */
  readonly nextCursor: string | null;
}

/** One event of a job's or a node's history: the audit trail. */
export interface HistoryEntry {
  readonly position: string;
  readonly stream: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  /** When Clocktower observed it. */
  readonly occurredAt: string;
  /** Slurm's own time of the change, where Slurm gives one. */
  readonly slurmTime: string | null;
  readonly correlationId: string;
  readonly causationId: string;
  readonly data: Record<string, unknown>;
}

/** A change in the change feed: a history entry with what it is about. */
export interface ChangeEntry extends HistoryEntry {
  readonly kind: 'job' | 'node' | 'cluster';
  readonly cluster: string;
  /** The job id (kind job) or node name (kind node); null for a cluster's own events. */
  readonly key: string | null;
  /** The job or node as it stood right after this change (null for cluster events). */
  readonly after: JobRecord | NodeRecord | null;
}

export class ListJobs extends JobFilter {
  static readonly type = 'ListJobs';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: Page<JobView>;

  @IsOptional() @IsIn(JOB_SORT_FIELDS) sort?: JobSortField;
  @IsOptional() @IsIn(SORT_ORDERS) order?: SortOrder;
}

abstract class OneJob extends Scoped {
  @IsString() @IsNotEmpty() cluster!: string;
  @IsString() @IsNotEmpty() jobId!: string;
}

/** The job's latest life (a reused job id: the most recent one). Reply null when unknown. */
export class GetJob extends OneJob {
  static readonly type = 'GetJob';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: JobView | null;
}

export interface JobHistory {
  readonly cluster: string;
  readonly jobId: string;
  readonly stream: string;
  readonly events: readonly HistoryEntry[];
}

export class GetJobHistory extends OneJob {
  static readonly type = 'GetJobHistory';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: JobHistory | null;
}

export interface PendingReasonTime {
  /** Slurm's pending reason (`Priority`, `Resources`, `Dependency`, …; `None` when Slurm gave none). */
  readonly reason: string;
  readonly seconds: number;
}

export interface JobPendingTime {
  readonly cluster: string;
  readonly jobId: string;
  /** Seconds pending in all, over every run (a requeued job pends again). */
  readonly totalSeconds: number;
  readonly byReason: readonly PendingReasonTime[];
  /** Still pending: the open interval is counted up to `asOf`. */
  readonly pending: boolean;
  readonly asOf: string;
}

export class GetJobPendingTime extends OneJob {
  static readonly type = 'GetJobPendingTime';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: JobPendingTime | null;
}

export class ListNodes extends Paged {
  static readonly type = 'ListNodes';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: Page<NodeView>;

  @IsOptional() @IsString() @IsNotEmpty() cluster?: string;
  /** Base states (IDLE, MIXED, ALLOCATED, DOWN, …), any of. */
  @IsOptional() @IsArray() @ArrayMaxSize(64) @IsString({ each: true }) state?: string[];
  /** Nodes having this flag (DRAIN, NOT_RESPONDING, …). */
  @IsOptional() @IsString() @IsNotEmpty() flag?: string;
  @IsOptional() @IsString() @IsNotEmpty() partition?: string;
  @IsOptional() @IsString() @IsNotEmpty() gpuType?: string;
}

abstract class OneNode extends Scoped {
  @IsString() @IsNotEmpty() cluster!: string;
  @IsString() @IsNotEmpty() name!: string;
}

export class GetNode extends OneNode {
  static readonly type = 'GetNode';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: NodeView | null;
}

export interface NodeHistory {
  readonly cluster: string;
  readonly name: string;
  readonly stream: string;
  readonly events: readonly HistoryEntry[];
}

export class GetNodeHistory extends OneNode {
  static readonly type = 'GetNodeHistory';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: NodeHistory | null;
}

export interface ClusterView {
  readonly cluster: string;
  /** The collector's simulated cluster: never a real one. */
  readonly simulated: boolean;
  /** Where the collector reads it from (never a secret). */
  readonly source: string | null;
  readonly reachable: boolean;
  /** Why the last poll failed, while unreachable. */
  readonly unreachableReason: string | null;
  /** When a poll last succeeded (null: never seen one), so staleness shows. */
  readonly lastPollAt: string | null;
  readonly jobsByState: Readonly<Record<string, number>>;
  readonly nodesByState: Readonly<Record<string, number>>;
  readonly cpus: { readonly total: number; readonly allocated: number };
  readonly gpus: { readonly total: number; readonly allocated: number };
  readonly updatedAt: string | null;
}

export class ListClusters extends Scoped {
  static readonly type = 'ListClusters';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: readonly ClusterView[];
}

export class GetCluster extends Scoped {
  static readonly type = 'GetCluster';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: ClusterView | null;

  @IsString() @IsNotEmpty() cluster!: string;
}

export interface UserJobCounts {
  readonly cluster: string;
  readonly user: string;
  readonly jobsByState: Readonly<Record<string, number>>;
  readonly total: number;
}

/** Jobs per state of each Slurm user of a cluster. */
export class ListClusterUsers extends Scoped {
  static readonly type = 'ListClusterUsers';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: readonly UserJobCounts[];

  @IsString() @IsNotEmpty() cluster!: string;
}

export interface ClusterAsOf {
  readonly cluster: string;
  readonly time: string;
  /** Jobs that existed at `time` and had not ended by then, as they were then (paged). */
  readonly jobs: Page<JobRecord & { readonly stream: string }>;
  readonly jobsByState: Readonly<Record<string, number>>;
  /** Every node as it was at `time`. */
  readonly nodes: readonly NodeRecord[];
}

/** The cluster as it was at `time`, computed from history. */
export class GetClusterAsOf extends Paged {
  static readonly type = 'GetClusterAsOf';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: ClusterAsOf | null;

  @IsString() @IsNotEmpty() cluster!: string;
  @IsISO8601({ strict: true }) time!: string;
}

/** What changed in a cluster between `from` (exclusive) and `to` (inclusive), oldest first. */
export class GetClusterChanges extends Paged {
  static readonly type = 'GetClusterChanges';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: Page<ChangeEntry>;

  @IsString() @IsNotEmpty() cluster!: string;
  @IsISO8601({ strict: true }) from!: string;
  @IsISO8601({ strict: true }) to!: string;
}

/** The samples behind GetClusterStats are a minute apart: a finer step would only repeat them. */
export const MIN_STATS_STEP_SECONDS = 60;
export const MAX_STATS_POINTS = 1_000;

export interface ClusterStatsPoint {
  /** The end of the bucket (at − step, at]; the state below is the cluster's at this instant. */
  readonly at: string;
  /** Jobs per state (those with any), as ClusterView.jobsByState counts them. */
  readonly jobs: Readonly<Record<string, number>>;
  readonly cpus: { readonly used: number; readonly total: number };
  readonly gpus: { readonly used: number; readonly total: number };
  /** Queue wait (start − eligible, or − submit) of the jobs that started in the bucket. */
  readonly waits: {
    readonly count: number;
    readonly meanSeconds: number | null;
    readonly maxSeconds: number | null;
  };
}

export interface ClusterStats {
  readonly cluster: string;
  readonly from: string;
  readonly to: string;
  readonly step: number;
  readonly points: readonly ClusterStatsPoint[];
}

/**
 * A cluster over a period, in buckets of `step` seconds from `from`: its jobs, CPUs and GPUs at the
 * end of each bucket (minute resolution, carried through quiet buckets) and the queue waits of the
 * jobs that started in it. Reply null when the cluster is unknown or out of scope.
 */
export class GetClusterStats extends Scoped {
  static readonly type = 'GetClusterStats';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: ClusterStats | null;

  @IsString() @IsNotEmpty() cluster!: string;
  @IsISO8601({ strict: true }) from!: string;
  @IsISO8601({ strict: true }) to!: string;
  @IsInt() @Min(MIN_STATS_STEP_SECONDS) step!: number;
}

export interface ChangeFeed {
  readonly items: readonly ChangeEntry[];
  /** Resume after this position (the last position scanned, even if nothing there matched). */
  readonly lastPosition: string;
  /** How far the read model has folded the store. */
  readonly projectedPosition: string;
}

/**
 * Job and node changes after a position, oldest first: what the gateway's SSE stream reads.
 * Filters as for ListJobs (a job's attributes as they stood at the change); node changes pass when
 * no job-only filter (user, account, state, nameContains, jobIds, arrayJobId) is set.
 */
export class ReadChanges extends JobFilter {
  static readonly type = 'ReadChanges';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: ChangeFeed;

  /** Exclusive; "0" from the beginning. */
  @IsString()
  @Matches(/^[0-9]{1,20}$/, { message: 'afterPosition must be a decimal position' })
  afterPosition!: string;
}

export interface RebuildProgress {
  readonly startedAt: string;
  readonly eventsDone: number;
  /** The store's head when the rebuild started (it chases new events after that). */
  readonly eventsTotal: number;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number | null;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

export interface ProjectionStatus {
  readonly name: string;
  readonly status: 'catching-up' | 'live' | 'rebuilding' | 'failed';
  readonly position: string;
  readonly headPosition: string;
  /** Events stored but not yet folded in. */
  readonly lag: string;
  /** Events that could not be read and were set aside (logged with the reason). */
  readonly parked: number;
  /** The rebuild running now, or the last one. */
  readonly rebuild: RebuildProgress | null;
  /** The answering replica's cache of job list pages (see job-projection's README). */
  readonly pageCache: PageCacheStats;
}

/** A replica's cache of list answers: lists asked again while its read model did not move. */
export interface PageCacheStats {
  /** Its bound (CLOCKTOWER_PAGE_CACHE_MB); 0: off. */
  readonly maxBytes: number;
  /** The bytes and pages kept now: emptied whenever the model folds an event. */
  readonly bytes: number;
  readonly pages: number;
  /** Lists answered from it, and lists it did not hold, since the replica started. */
  readonly hits: number;
  readonly misses: number;
}

export class ListProjections {
  static readonly type = 'ListProjections';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: readonly ProjectionStatus[];
}

/**
 * Replays the whole history into a fresh read model while the current one keeps answering, then
 * switches over once caught up. Replies at once; progress shows in ListProjections.
 */
export class RebuildProjection {
  static readonly type = 'RebuildProjection';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Command;
  static readonly service = query.service;
  declare static readonly reply?: { readonly started: boolean; readonly status: ProjectionStatus };

  @IsString()
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'name must be a projection name' })
  name!: string;
}

/** One job, named as the API names it (its latest life, for what is keyed by job id). */
export class JobRef {
  @IsString() @IsNotEmpty() cluster!: string;
  @IsString() @IsNotEmpty() jobId!: string;
}

/** One user's own props on one job (Clockwork's job-user props). */
export interface JobUserPropsView {
  readonly cluster: string;
  readonly jobId: string;
  readonly props: Readonly<Record<string, unknown>>;
  /** When they last changed (the last event's occurredAt). */
  readonly updatedAt: string;
}

export interface JobUserPropsList {
  /** Only the jobs that have props. */
  readonly items: readonly JobUserPropsView[];
  /** How far the read model has folded the store: a writer waits here for its own append. */
  readonly projectedPosition: string;
}

/**
 * A user's props on some jobs. Props are private to their user: the gateway asks with the
 * caller's own userId, having checked that the caller may see the jobs (ListJobs, GetJob).
 */
export class ListJobUserProps {
  static readonly type = 'ListJobUserProps';
  static readonly schemaVersion = query.schemaVersion;
  static readonly kind = query.kind;
  static readonly service = query.service;
  declare static readonly reply?: JobUserPropsList;

  @IsString() @IsNotEmpty() userId!: string;
  @IsArray()
  @ArrayMaxSize(MAX_PAGE_LIMIT)
  @ValidateNested({ each: true })
  @Type(() => JobRef)
  jobs!: JobRef[];
}

export const PROJECTION_QUERIES = [
  ListJobs,
  GetJob,
  GetJobHistory,
  GetJobPendingTime,
  ListNodes,
  GetNode,
  GetNodeHistory,
  ListClusters,
  GetCluster,
  ListClusterUsers,
  GetClusterAsOf,
  GetClusterChanges,
  GetClusterStats,
  ReadChanges,
  ListProjections,
  RebuildProjection,
  ListJobUserProps,
] as const;
