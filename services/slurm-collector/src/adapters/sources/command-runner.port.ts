/**
 * Runs one command given as an argv (never a shell string) and returns what it printed. Implemented
 * for this host (execFile-style, no shell) and for a login node over ssh (each element quoted).
 *
 * A runner throws `SlurmSourceError` only when the command could not run to completion (UNREACHABLE,
 * AUTH_FAILED, HOST_KEY_MISMATCH, TIMEOUT, or COMMAND_FAILED for a missing program or too much
 * output); a command that ran and exited non-zero is a normal result.
 */
export interface CommandRunner {
  /** For logs, e.g. "local" or "ssh ctlab@host:22". Never holds a secret. */
  readonly description: string;
  run(argv: readonly string[], options: RunOptions): Promise<CommandResult>;
  close(): Promise<void>;
}

export interface RunOptions {
  /** Written to the command's stdin, which is then closed. Without it stdin is closed at once. */
  readonly stdin?: string;
  /** The command is killed (its channel closed) after this long, and the run fails with TIMEOUT. */
  readonly timeoutMs: number;
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit status, or null when the command was ended by a signal (then `signal` says which). */
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/** What one command may print (stdout and stderr each) before it is killed: squeue --json of a busy
 * cluster is hundreds of MB, and V8 strings stop at about 512 MiB. */
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
