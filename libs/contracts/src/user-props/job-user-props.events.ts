import { IsArray, IsNotEmpty, IsObject, IsString } from 'class-validator';
import { MessageKind } from '../messages/message-class.js';
import { StreamCategory, streamName } from '../streams/stream-name.js';

/**
 * A user's own key/value notes on a job (an experiment tracker's link, a note), as Clockwork's
 * "job-user props": each user has their own set per job, nobody else reads or writes it. Kept as
 * events in one stream per (cluster, job id, user): `jobprops-<cluster>-<jobId>-<userId>`. Like
 * Clockwork, the props follow the job id on its cluster, not one life of it (a job id Slurm reuses
 * keeps its notes).
 */
const event = { kind: MessageKind.Event, schemaVersion: 1 } as const;

/** Clockwork's limit: the props' `json.dumps` (Python) at most 2 MiB after any change. */
export const MAX_JOB_USER_PROPS_LENGTH = 2 * 1024 * 1024;

export function jobUserPropsStream(cluster: string, jobId: string, userId: string): string {
  return streamName(StreamCategory.JobUserProps, `${cluster}-${jobId}-${userId}`);
}

/** Keys set to values, merged into the props one key deep (Clockwork's `dict.update`). */
export class JobUserPropsSet {
  static readonly type = 'JobUserPropsSet';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;

  @IsString() @IsNotEmpty() cluster!: string;
  @IsString() @IsNotEmpty() jobId!: string;
  /** The user whose props these are (and who set them: nobody else may). */
  @IsString() @IsNotEmpty() userId!: string;
  /** Any JSON values; the whole props stay within MAX_JOB_USER_PROPS_LENGTH. */
  @IsObject() updates!: Record<string, unknown>;
}

/** Keys removed from the props (keys that were not there are not listed). */
export class JobUserPropsDeleted {
  static readonly type = 'JobUserPropsDeleted';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;

  @IsString() @IsNotEmpty() cluster!: string;
  @IsString() @IsNotEmpty() jobId!: string;
  @IsString() @IsNotEmpty() userId!: string;
  @IsArray() @IsString({ each: true }) keys!: string[];
}

export const JOB_USER_PROPS_EVENTS = [JobUserPropsSet, JobUserPropsDeleted] as const;
