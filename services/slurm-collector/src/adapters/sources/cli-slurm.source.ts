import { sacctArgv, sinfoArgv, squeueArgv } from '../../domain/parsers/slurm-commands.js';
import type { OutputFormat, RawOutput, SlurmCommandKind } from '../../domain/raw-output.js';
import type { CommandResult, CommandRunner } from './command-runner.port.js';
import { parseSbatchParsable, sbatchArgv, scancelArgv } from './sbatch.argv.js';
import {
  SlurmSourceError,
  type CancelJobRequest,
  type SlurmSource,
  type SubmitJobRequest,
} from './slurm-source.port.js';

export interface CliSlurmSourceOptions {
  readonly runner: CommandRunner;
  /** `json` (`--json`, Slurm 21.08+) or `text` (fixed field lists). Default json. */
  readonly format?: OutputFormat;
  /** squeue, sinfo, sbatch, scancel. Default 30 s. */
  readonly commandTimeoutMs?: number;
  /** sacct reads the accounting database and is the slow one. Default 120 s. */
  readonly accountingTimeoutMs?: number;
  readonly clock?: () => Date;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
export const DEFAULT_ACCOUNTING_TIMEOUT_MS = 120_000;

/** stderr quoted in an error message is cut here: a failing squeue can print a lot. */
const STDERR_IN_MESSAGE = 2_000;

/**
 * Slurm's own commands, through any CommandRunner (this host, or a login node over ssh), with the
 * argv from domain/parsers/slurm-commands.ts. Output is returned as printed; a command that exits
 * non-zero is COMMAND_FAILED with its stderr.
 */
export class CliSlurmSource implements SlurmSource {
  readonly description: string;
  readonly simulated = false;
  private readonly format: OutputFormat;
  private readonly commandTimeoutMs: number;
  private readonly accountingTimeoutMs: number;
  private readonly clock: () => Date;

  constructor(private readonly options: CliSlurmSourceOptions) {
    this.format = options.format ?? 'json';
    this.description = `${options.runner.description}${this.format === 'text' ? ' (text output)' : ''}`;
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.accountingTimeoutMs = options.accountingTimeoutMs ?? DEFAULT_ACCOUNTING_TIMEOUT_MS;
    this.clock = options.clock ?? (() => new Date());
  }

  queue(): Promise<RawOutput> {
    return this.output('squeue', squeueArgv(this.format), this.commandTimeoutMs);
  }

  nodes(): Promise<RawOutput> {
    return this.output('sinfo', sinfoArgv(this.format), this.commandTimeoutMs);
  }

  accounting(since: Date, until: Date): Promise<RawOutput> {
    return this.output('sacct', sacctArgv(this.format, since, until), this.accountingTimeoutMs);
  }

  async submit(request: SubmitJobRequest): Promise<{ jobId: string }> {
    const argv = sbatchArgv(request);
    const result = await this.options.runner.run(argv, {
      stdin: request.script,
      timeoutMs: this.commandTimeoutMs,
    });
    this.check('sbatch', result);
    return { jobId: parseSbatchParsable(result.stdout).jobId };
  }

  async cancel(request: CancelJobRequest): Promise<void> {
    const result = await this.options.runner.run(scancelArgv(request), {
      timeoutMs: this.commandTimeoutMs,
    });
    this.check('scancel', result);
  }

  close(): Promise<void> {
    return this.options.runner.close();
  }

  private async output(
    kind: SlurmCommandKind,
    argv: string[],
    timeoutMs: number,
  ): Promise<RawOutput> {
    // Taken before the command runs: what it prints was true at some point after this instant.
    const observedAt = this.clock().toISOString();
    const result = await this.options.runner.run(argv, { timeoutMs });
    this.check(argv[0] ?? kind, result);
    return { kind, format: this.format, body: result.stdout, observedAt };
  }

  private check(command: string, result: CommandResult): void {
    if (result.exitCode === 0) return;
    const stderr = result.stderr.trim();
    const shown =
      stderr.length > STDERR_IN_MESSAGE ? `${stderr.slice(0, STDERR_IN_MESSAGE)}...` : stderr;
    const how =
      result.exitCode === null
        ? `was killed by ${result.signal ?? 'a signal'}`
        : `exited with ${result.exitCode}`;
    throw new SlurmSourceError(
      'COMMAND_FAILED',
      `${this.description}: ${command} ${how}${shown ? `: ${shown}` : ' and printed nothing on stderr'}`,
    );
  }
}
