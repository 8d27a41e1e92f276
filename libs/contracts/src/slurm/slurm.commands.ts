import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MessageKind } from '../messages/message-class.js';

const NAME = /^[A-Za-z0-9._-]+$/;
const NAME_MESSAGE = 'may hold only letters, digits, ".", "_" and "-"';

/**
 * Submits a batch job on a named cluster. The envelope's id is the command's id: sending the same
 * command again (same id) returns the job it already made, never a second job.
 */
export class SubmitJob {
  static readonly type = 'SubmitJob';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Command;
  static readonly service = 'slurm-collector';
  declare static readonly reply?: SubmitJobReply;

  @IsString() @Matches(NAME, { message: `cluster ${NAME_MESSAGE}` }) cluster!: string;
  /** The batch script, passed on sbatch's standard input (never on a command line). */
  @IsString() @IsNotEmpty() @MaxLength(1_000_000) script!: string;
  @IsOptional()
  @IsString()
  @Matches(NAME, { message: `name ${NAME_MESSAGE}` })
  @MaxLength(200)
  name?: string;
  @IsOptional()
  @IsString()
  @Matches(NAME, { message: `partition ${NAME_MESSAGE}` })
  partition?: string;
  @IsOptional() @IsString() @Matches(NAME, { message: `account ${NAME_MESSAGE}` }) account?: string;
  @IsOptional() @IsString() @Matches(NAME, { message: `qos ${NAME_MESSAGE}` }) qos?: string;
  @IsOptional() @IsInt() @Min(1) @Max(525_600) timeLimitMinutes?: number;
  @IsOptional() @IsInt() @Min(1) @Max(100_000) nodes?: number;
  @IsOptional() @IsInt() @Min(1) @Max(100_000) cpusPerTask?: number;
  @IsOptional() @IsInt() @Min(1) memoryMB?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1024) gpus?: number;
  @IsOptional()
  @IsString()
  @Matches(/^\/[^\0\n]*$/, { message: 'workDir must be an absolute path' })
  workDir?: string;
  @IsOptional()
  @IsString()
  @Matches(/^[^\0\n]+$/, { message: 'output must be a path on one line' })
  output?: string;
  @IsOptional()
  @IsString()
  @Matches(/^[^\0\n]+$/, { message: 'error must be a path on one line' })
  error?: string;
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  @Matches(/^[^\0\n]*$/, { message: 'comment must be one line' })
  comment?: string;
  @IsOptional()
  @IsString()
  @Matches(/^[0-9,:%-]+$/, { message: 'array must be a Slurm array spec such as 1-10%2' })
  array?: string;
  @IsOptional()
  @IsString()
  @Matches(
    /^(singleton|(after|afterok|afternotok|afterany|aftercorr|afterburstbuffer)(:[0-9_]+(\+[0-9]+)?)+)([,?](singleton|(after|afterok|afternotok|afterany|aftercorr|afterburstbuffer)(:[0-9_]+(\+[0-9]+)?)+))*$/,
    { message: 'dependency must be a Slurm dependency list such as afterok:123' },
  )
  dependency?: string;
  @IsOptional() @IsBoolean() hold?: boolean;
  /** Extra environment for the job: keys like SHELL variables, values one line each. */
  @IsOptional() @IsObject() env?: Record<string, string>;
}

export interface SubmitJobReply {
  readonly cluster: string;
  readonly jobId: string;
  /** True when this command id had already submitted that job: nothing new was submitted. */
  readonly duplicate: boolean;
}

/** Cancels (or signals) a job on a named cluster. Cancelling an ended job is not an error. */
export class CancelJob {
  static readonly type = 'CancelJob';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Command;
  static readonly service = 'slurm-collector';
  declare static readonly reply?: CancelJobReply;

  @IsString() @Matches(NAME, { message: `cluster ${NAME_MESSAGE}` }) cluster!: string;
  @IsString()
  @Matches(/^[0-9]+(_[0-9]+)?$/, { message: 'jobId must be a job id such as 1234 or 1234_7' })
  jobId!: string;
  @IsOptional()
  @IsIn(['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGUSR1', 'SIGUSR2', 'SIGHUP', 'SIGCONT', 'SIGSTOP'])
  signal?: string;
}

export interface CancelJobReply {
  readonly cluster: string;
  readonly jobId: string;
  readonly alreadyEnded: boolean;
}

/**
 * The life of one SubmitJob command, in its own stream (`command-<command id>`): claimed before
 * sbatch runs, so a retry of the same command can never make a second job.
 */
export class JobSubmissionRequested {
  static readonly type = 'JobSubmissionRequested';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Event;
  @IsString() cluster!: string;
  @IsString() commandId!: string;
  @IsOptional() @IsString() name!: string | null;
}

export class JobSubmissionAccepted {
  static readonly type = 'JobSubmissionAccepted';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Event;
  @IsString() cluster!: string;
  @IsString() commandId!: string;
  @IsString() jobId!: string;
}

export class JobSubmissionRejected {
  static readonly type = 'JobSubmissionRejected';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Event;
  @IsString() cluster!: string;
  @IsString() commandId!: string;
  @IsString() code!: string;
  @IsString() reason!: string;
}
