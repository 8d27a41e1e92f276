import type { RawOutput } from '../../domain/raw-output.js';

/**
 * Where the collector gets Slurm's output from and sends its commands to: ssh to a login node, local
 * commands, slurmrestd, a replay of saved outputs, or the simulator. A source never interprets what
 * Slurm printed (the parsers do); it only runs the command and says when.
 *
 * Every failure is a `SlurmSourceError` with a stable `code`; adapters translate their vendor errors.
 */
export interface SlurmSource {
  /** For logs and cluster events, e.g. "ssh ctlab@127.0.0.1:2222". Never holds a secret. */
  readonly description: string;
  /** True only for the simulator: shown wherever its data appears. */
  readonly simulated: boolean;
  /** The controller's jobs (squeue). */
  queue(): Promise<RawOutput>;
  /** The nodes (sinfo). */
  nodes(): Promise<RawOutput>;
  /** Accounting records of jobs active between `since` and `until` (sacct). */
  accounting(since: Date, until: Date): Promise<RawOutput>;
  /** Submits a batch job; the options are validated before anything runs. */
  submit(request: SubmitJobRequest): Promise<{ jobId: string }>;
  /** Cancels (or, with `signal`, signals) a job. */
  cancel(request: CancelJobRequest): Promise<void>;
  /** Releases connections; the source is not used afterwards. */
  close(): Promise<void>;
}

/** A batch job to submit. Only `script` is required; everything else maps to one sbatch option. */
export interface SubmitJobRequest {
  /** The whole batch script, starting with `#!`. Sent on stdin (or in the request body), never in argv. */
  readonly script: string;
  readonly name?: string;
  readonly partition?: string;
  readonly account?: string;
  readonly qos?: string;
  readonly timeLimitMinutes?: number;
  readonly nodes?: number;
  readonly cpusPerTask?: number;
  readonly memoryMB?: number;
  readonly gpus?: number;
  readonly workDir?: string;
  readonly output?: string;
  readonly error?: string;
  readonly comment?: string;
  /** sbatch --array, e.g. `0-9%2` or `1,3,5`. */
  readonly array?: string;
  /** sbatch --dependency, e.g. `afterok:12:13` or `singleton`. */
  readonly dependency?: string;
  readonly hold?: boolean;
  /** Added to the submission environment (sbatch exports it to the job). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface CancelJobRequest {
  /** `123`, or `123_4` for one task of an array. */
  readonly jobId: string;
  /** A signal name (`USR1`, `SIGTERM`) or number; without it the job is cancelled. */
  readonly signal?: string;
}

export const SlurmSourceErrorCode = {
  /** The cluster could not be reached (connection refused, no route, dropped). Retry later. */
  Unreachable: 'UNREACHABLE',
  /** The credentials were refused (ssh key, JWT). Retrying will not help. */
  AuthFailed: 'AUTH_FAILED',
  /** The server's ssh host key is not the pinned one. Never retried automatically. */
  HostKeyMismatch: 'HOST_KEY_MISMATCH',
  /** A command or request took longer than its timeout and was abandoned. */
  Timeout: 'TIMEOUT',
  /** The command ran and failed (non-zero exit, HTTP error, unusable answer). */
  CommandFailed: 'COMMAND_FAILED',
  /** The request (or the source's options) were refused before anything ran. */
  InvalidRequest: 'INVALID_REQUEST',
} as const;
export type SlurmSourceErrorCode = (typeof SlurmSourceErrorCode)[keyof typeof SlurmSourceErrorCode];

/** The one error a source throws. The message says what happened and what to do next. */
export class SlurmSourceError extends Error {
  override readonly name = 'SlurmSourceError';
  /** For INVALID_REQUEST: the request field that was refused. */
  readonly field: string | undefined;

  constructor(
    readonly code: SlurmSourceErrorCode,
    message: string,
    options: { readonly cause?: unknown; readonly field?: string } = {},
  ) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.field = options.field;
  }
}

export function isSlurmSourceError(
  error: unknown,
  code?: SlurmSourceErrorCode,
): error is SlurmSourceError {
  return error instanceof SlurmSourceError && (code === undefined || error.code === code);
}
