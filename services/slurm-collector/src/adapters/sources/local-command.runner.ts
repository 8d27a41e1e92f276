import { spawn } from 'node:child_process';
import { BoundedOutput } from './bounded-output.js';
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  type CommandResult,
  type CommandRunner,
  type RunOptions,
} from './command-runner.port.js';
import { SlurmSourceError } from './slurm-source.port.js';
import { errorCode } from './error-message.js';

export interface LocalCommandRunnerOptions {
  /** Per stream (stdout, stderr); the command is killed past it. Default DEFAULT_MAX_OUTPUT_BYTES. */
  readonly maxOutputBytes?: number;
}

/**
 * Runs commands on this host: the argv goes straight to execve (no shell, so nothing in it is
 * interpreted), stdin is written then closed, and the process is SIGKILLed when it outlives its
 * timeout or prints more than the limit. Slurm's client commands hold no state worth a graceful stop.
 */
export class LocalCommandRunner implements CommandRunner {
  readonly description = 'local';
  private readonly maxOutputBytes: number;

  constructor(options: LocalCommandRunnerOptions = {}) {
    this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  }

  run(argv: readonly string[], options: RunOptions): Promise<CommandResult> {
    const [file, ...args] = argv;
    if (file === undefined) return Promise.reject(new TypeError('an empty argv is not a command'));
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { shell: false, stdio: ['pipe', 'pipe', 'pipe'] });
      const stdout = new BoundedOutput(this.maxOutputBytes);
      const stderr = new BoundedOutput(this.maxOutputBytes);
      let failure: SlurmSourceError | undefined;
      const fail = (error: SlurmSourceError): void => {
        failure ??= error;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(
        () =>
          fail(
            new SlurmSourceError(
              'TIMEOUT',
              `local ${file} did not finish within ${options.timeoutMs} ms and was killed; raise the timeout if the cluster is just slow`,
            ),
          ),
        options.timeoutMs,
      );
      const collect = (output: BoundedOutput, stream: string) => (chunk: Buffer) => {
        if (!output.push(chunk)) {
          fail(
            new SlurmSourceError(
              'COMMAND_FAILED',
              `local ${file} printed more than ${output.limit} bytes on ${stream} and was killed; raise maxOutputBytes`,
            ),
          );
        }
      };
      child.stdout.on('data', collect(stdout, 'stdout'));
      child.stderr.on('data', collect(stderr, 'stderr'));
      // A command that exits without reading its stdin makes the write fail with EPIPE: not an error.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin ?? '');

      child.once('error', (error: Error) => {
        clearTimeout(timer);
        reject(
          errorCode(error) === 'ENOENT'
            ? new SlurmSourceError(
                'COMMAND_FAILED',
                `${file} was not found on this host's PATH: install the Slurm client commands or use another source`,
                { cause: error },
              )
            : new SlurmSourceError(
                'COMMAND_FAILED',
                `local ${file} could not be started: ${error.message}`,
                { cause: error },
              ),
        );
      });
      child.once('close', (exitCode, signal) => {
        clearTimeout(timer);
        if (failure) reject(failure);
        else resolve({ stdout: stdout.text(), stderr: stderr.text(), exitCode, signal });
      });
    });
  }

  async close(): Promise<void> {}
}
