import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** Slurm's base job states (the part before any flag), in capitals as Slurm prints them. */
export const JobState = {
  Pending: 'PENDING',
  Running: 'RUNNING',
  Suspended: 'SUSPENDED',
  Completing: 'COMPLETING',
  Completed: 'COMPLETED',
  Cancelled: 'CANCELLED',
  Failed: 'FAILED',
  Timeout: 'TIMEOUT',
  NodeFail: 'NODE_FAIL',
  Preempted: 'PREEMPTED',
  BootFail: 'BOOT_FAIL',
  Deadline: 'DEADLINE',
  OutOfMemory: 'OUT_OF_MEMORY',
  Requeued: 'REQUEUED',
  Resizing: 'RESIZING',
  Revoked: 'REVOKED',
  SpecialExit: 'SPECIAL_EXIT',
  StageOut: 'STAGE_OUT',
  Stopped: 'STOPPED',
  Unknown: 'UNKNOWN',
} as const;
export type JobState = (typeof JobState)[keyof typeof JobState];

/** States a job never leaves (until a requeue makes it a new life of the same job id). */
export const FINAL_JOB_STATES: ReadonlySet<string> = new Set([
  JobState.Completed,
  JobState.Cancelled,
  JobState.Failed,
  JobState.Timeout,
  JobState.NodeFail,
  JobState.Preempted,
  JobState.BootFail,
  JobState.Deadline,
  JobState.OutOfMemory,
  JobState.Revoked,
]);

export class JobResources {
  @IsOptional() @IsInt() @Min(0) cpus!: number | null;
  @IsOptional() @IsInt() @Min(0) memoryMB!: number | null;
  @IsOptional() @IsInt() @Min(0) gpus!: number | null;
  @IsOptional() @IsInt() @Min(0) nodes!: number | null;
}

/**
 * One Slurm job as Clocktower normalizes it, whatever the Slurm version and output format. It is
 * both what the collector's parsers produce and the REST resource. Times are ISO 8601 (UTC) or
 * null; numbers Slurm calls unlimited or unset are null.
 */
export class JobRecord {
  @IsString() @IsNotEmpty() cluster!: string;
  /** The job's own id (for an array task, the task's own id). */
  @IsString() @IsNotEmpty() jobId!: string;
  @IsOptional() @IsString() arrayJobId!: string | null;
  @IsOptional() @IsString() arrayTaskId!: string | null;
  @IsString() name!: string;
  @IsString() user!: string;
  @IsOptional() @IsString() account!: string | null;
  @IsOptional() @IsString() partition!: string | null;
  @IsOptional() @IsString() qos!: string | null;
  /** Base state in capitals (JobState). */
  @IsString() @IsNotEmpty() state!: string;
  @IsOptional() @IsString() stateReason!: string | null;
  /** The exit status of the job's script (0–255), when it ended normally. */
  @IsOptional() @IsInt() exitCode!: number | null;
  /** The signal that ended it, when one did. */
  @IsOptional() @IsInt() signal!: number | null;
  @ValidateIf((_, v) => v !== null) @IsISO8601() submitTime!: string | null;
  @ValidateIf((_, v) => v !== null) @IsISO8601() eligibleTime!: string | null;
  @ValidateIf((_, v) => v !== null) @IsISO8601() startTime!: string | null;
  @ValidateIf((_, v) => v !== null) @IsISO8601() endTime!: string | null;
  @IsOptional() @IsInt() @Min(0) timeLimitMinutes!: number | null;
  /** Slurm's node list expression as printed (`node[01-02]`), or null before allocation. */
  @IsOptional() @IsString() nodes!: string | null;
  @ValidateNested() @Type(() => JobResources) requested!: JobResources;
  @ValidateNested() @Type(() => JobResources) allocated!: JobResources;
  @IsOptional() @IsString() workDir!: string | null;
  @IsOptional() @IsString() stdout!: string | null;
  @IsOptional() @IsString() stderr!: string | null;
  @IsOptional() @IsString() comment!: string | null;
  /** How many times Slurm requeued it (squeue's restart_cnt, scontrol's Restarts); null if unknown. */
  @IsOptional() @IsInt() @Min(0) restartCount!: number | null;
}

export class NodeRecord {
  @IsString() @IsNotEmpty() cluster!: string;
  @IsString() @IsNotEmpty() name!: string;
  /** Base state in capitals: IDLE, MIXED, ALLOCATED, DOWN, UNKNOWN, FUTURE, ERROR, … */
  @IsString() @IsNotEmpty() state!: string;
  /** State flags in capitals, sorted: DRAIN, NOT_RESPONDING, MAINTENANCE, RESERVED, … */
  @IsArray() @IsString({ each: true }) flags!: string[];
  @IsOptional() @IsString() reason!: string | null;
  @IsOptional() @IsString() reasonSetBy!: string | null;
  @ValidateIf((_, v) => v !== null) @IsISO8601() reasonSince!: string | null;
  @IsInt() @Min(0) cpus!: number;
  @IsInt() @Min(0) cpusAllocated!: number;
  @IsInt() @Min(0) memoryMB!: number;
  @IsInt() @Min(0) memoryAllocatedMB!: number;
  @IsInt() @Min(0) gpus!: number;
  @IsInt() @Min(0) gpusAllocated!: number;
  @IsOptional() @IsString() gpuType!: string | null;
  @IsArray() @IsString({ each: true }) partitions!: string[];
  @IsArray() @IsString({ each: true }) features!: string[];
}
