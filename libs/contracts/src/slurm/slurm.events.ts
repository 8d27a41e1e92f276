import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MessageKind } from '../messages/message-class.js';
import { JobRecord, JobResources, NodeRecord } from './job-record.js';

/**
 * Events of the Watch part: what the collector observed, one event per change. A job's stream is
 * one life of one job (`job-<cluster>-<jobId>-<first submit epoch>`), so a reused job id starts a new
 * stream and a requeue stays in the job's own. `slurmTime` is Slurm's own timestamp of the change
 * where it gives one; the envelope's occurredAt is when Clocktower observed it.
 */
abstract class JobEventBase {
  @IsString() @IsNotEmpty() cluster!: string;
  @IsString() @IsNotEmpty() jobId!: string;
  /** Which output showed it: the queue (squeue), accounting (sacct), or a simulator. */
  @IsIn(['squeue', 'sacct', 'scontrol']) observedIn!: 'squeue' | 'sacct' | 'scontrol';
}

const event = { kind: MessageKind.Event, schemaVersion: 1 } as const;

/** The first sight of a job: its whole record as seen then. */
export class JobSubmitted extends JobEventBase {
  static readonly type = 'JobSubmitted';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @ValidateNested() @Type(() => JobRecord) record!: JobRecord;
  @ValidateIf((_, v) => v !== null) @IsISO8601() slurmTime!: string | null;
}

export class JobStateChanged extends JobEventBase {
  static readonly type = 'JobStateChanged';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsString() from!: string;
  @IsString() to!: string;
  @IsOptional() @IsString() reason!: string | null;
  @ValidateIf((_, v) => v !== null) @IsISO8601() slurmTime!: string | null;
}

/** A pending job's reason changed (Priority → Resources → …): the basis of pending time per reason. */
export class JobPendingReasonChanged extends JobEventBase {
  static readonly type = 'JobPendingReasonChanged';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsOptional() @IsString() from!: string | null;
  @IsOptional() @IsString() to!: string | null;
}

export class JobStarted extends JobEventBase {
  static readonly type = 'JobStarted';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsOptional() @IsString() nodes!: string | null;
  @ValidateNested() @Type(() => JobResources) allocated!: JobResources;
  @ValidateIf((_, v) => v !== null) @IsISO8601() slurmTime!: string | null;
}

/** Slurm put the job back in the queue: same job, a new run (restartCount rises). */
export class JobRequeued extends JobEventBase {
  static readonly type = 'JobRequeued';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsString() previousState!: string;
  @IsOptional() @IsInt() @Min(0) restartCount!: number | null;
  @ValidateIf((_, v) => v !== null) @IsISO8601() slurmTime!: string | null;
}

/** Requested resources, limits, partition, QOS, name, comment… changed while the job lived. */
export class JobResourcesChanged extends JobEventBase {
  static readonly type = 'JobResourcesChanged';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  /** field → { from, to }; fields as in JobRecord (`requested.cpus`, `timeLimitMinutes`, …). */
  @IsObject() changes!: Record<string, { from: unknown; to: unknown }>;
}

export class JobEnded extends JobEventBase {
  static readonly type = 'JobEnded';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsString() state!: string;
  @IsOptional() @IsInt() exitCode!: number | null;
  @IsOptional() @IsInt() signal!: number | null;
  @IsOptional() @IsString() reason!: string | null;
  @ValidateIf((_, v) => v !== null) @IsISO8601() slurmTime!: string | null;
}

/** The controller forgot the job and accounting has no record of how it ended. */
export class JobLeftController extends JobEventBase {
  static readonly type = 'JobLeftController';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsString() lastState!: string;
}

abstract class NodeEventBase {
  @IsString() @IsNotEmpty() cluster!: string;
  @IsString() @IsNotEmpty() node!: string;
}

export class NodeAdded extends NodeEventBase {
  static readonly type = 'NodeAdded';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @ValidateNested() @Type(() => NodeRecord) record!: NodeRecord;
}

export class NodeStateChanged extends NodeEventBase {
  static readonly type = 'NodeStateChanged';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsString() fromState!: string;
  @IsArray() @IsString({ each: true }) fromFlags!: string[];
  @IsString() toState!: string;
  @IsArray() @IsString({ each: true }) toFlags!: string[];
  @IsOptional() @IsString() reason!: string | null;
  @IsOptional() @IsString() reasonSetBy!: string | null;
  @ValidateIf((_, v) => v !== null) @IsISO8601() reasonSince!: string | null;
}

/** Configured resources (CPUs, memory, GPUs, partitions, features) changed. */
export class NodeResourcesChanged extends NodeEventBase {
  static readonly type = 'NodeResourcesChanged';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsObject() changes!: Record<string, { from: unknown; to: unknown }>;
}

/** What is allocated on the node changed (jobs started or ended on it). */
export class NodeAllocationChanged extends NodeEventBase {
  static readonly type = 'NodeAllocationChanged';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsInt() @Min(0) cpusAllocated!: number;
  @IsInt() @Min(0) memoryAllocatedMB!: number;
  @IsInt() @Min(0) gpusAllocated!: number;
}

export class NodeRemoved extends NodeEventBase {
  static readonly type = 'NodeRemoved';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsString() lastState!: string;
}

export class ClusterReachable {
  static readonly type = 'ClusterReachable';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsString() @IsNotEmpty() cluster!: string;
  /** Where Clocktower reads it from (never a secret), and whether it is the simulator. */
  @IsString() source!: string;
  @IsBoolean() simulated!: boolean;
}

export class ClusterUnreachable {
  static readonly type = 'ClusterUnreachable';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;
  @IsString() @IsNotEmpty() cluster!: string;
  @IsString() source!: string;
  /** What failed: `squeue: TIMEOUT: no answer within 30000 ms`. */
  @IsString() reason!: string;
}

export const JOB_EVENTS = [
  JobSubmitted,
  JobStateChanged,
  JobPendingReasonChanged,
  JobStarted,
  JobRequeued,
  JobResourcesChanged,
  JobEnded,
  JobLeftController,
] as const;
export const NODE_EVENTS = [
  NodeAdded,
  NodeStateChanged,
  NodeResourcesChanged,
  NodeAllocationChanged,
  NodeRemoved,
] as const;
export const CLUSTER_EVENTS = [ClusterReachable, ClusterUnreachable] as const;

export type JobEventData = InstanceType<(typeof JOB_EVENTS)[number]>;
export type NodeEventData = InstanceType<(typeof NODE_EVENTS)[number]>;
