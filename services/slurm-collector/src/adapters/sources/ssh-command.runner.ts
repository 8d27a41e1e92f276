import type { ClientChannel } from 'ssh2';
import { BoundedOutput } from './bounded-output.js';
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  type CommandResult,
  type CommandRunner,
  type RunOptions,
} from './command-runner.port.js';
import { errorMessage } from './error-message.js';
import { shellCommand } from './shell-quote.js';
import { SlurmSourceError } from './slurm-source.port.js';
import type { SourceLogger } from './source-logger.js';
import { SshConnection, type SshClient } from './ssh-connection.js';

export interface SshCommandRunnerOptions {
  readonly host: string;
  /** Default 22. */
  readonly port?: number;
  readonly user: string;
  /** The private key itself (OpenSSH or PEM). One of privateKey and privateKeyPath is required. */
  readonly privateKey?: string | Buffer;
  readonly privateKeyPath?: string;
  readonly passphrase?: string;
  /**
   * The server's public key(s) as in known_hosts (`ssh-ed25519 AAAA...`) or SHA256 fingerprints
   * (`SHA256:...`). With knownHostsPath, the file's lines for this host:port are pinned too.
   * At least one pin is required: verification cannot be turned off.
   */
  readonly hostKey?: string | readonly string[];
  readonly knownHostsPath?: string;
  /** TCP connect + ssh handshake + authentication. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** ssh-level keepalive: a dead peer is noticed after interval × countMax. Defaults 15 s × 3. */
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
  /** After a failed connection attempt, the next waits this long, doubling up to the maximum. */
  readonly reconnectInitialDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
  /**
   * Commands running at once on the one connection. OpenSSH's sshd allows 10 sessions per connection
   * by default (MaxSessions); further commands wait for a free channel (within their timeout).
   */
  readonly maxChannels?: number;
  readonly maxOutputBytes?: number;
  readonly logger?: SourceLogger;
}

export const DEFAULT_SSH_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_SSH_KEEPALIVE_INTERVAL_MS = 15_000;
export const DEFAULT_SSH_KEEPALIVE_COUNT_MAX = 3;
export const DEFAULT_SSH_RECONNECT_INITIAL_DELAY_MS = 500;
export const DEFAULT_SSH_RECONNECT_MAX_DELAY_MS = 30_000;
export const DEFAULT_SSH_MAX_CHANNELS = 8;

/**
 * Runs commands on a login node over one ssh connection, each command on its own channel.
 *
 * - The host key is pinned (HostKeyPin); any other key ends the handshake with HOST_KEY_MISMATCH.
 * - The connection opens on the first command and is reused. When it drops, the next command
 *   reconnects. After a failed attempt the next one waits an exponentially growing, bounded delay;
 *   a command arriving inside that window fails at once with the last error instead of waiting, so
 *   a poller never piles up behind a dead cluster.
 * - Each argv element is single-quoted for the remote shell (shell-quote.ts).
 * - Each command has a timeout: the remote process is sent SIGKILL and its channel closed; the
 *   connection stays usable.
 * - A command whose channel could not be opened because the connection had just dropped never ran,
 *   so it is retried once on a new connection; a command cut off mid-run is not retried (it may
 *   have run: an sbatch must not be sent twice) and fails with UNREACHABLE.
 */
export class SshCommandRunner implements CommandRunner {
  readonly description: string;
  private readonly connection: SshConnection;
  private readonly maxChannels: number;
  private readonly maxOutputBytes: number;
  private activeChannels = 0;
  private readonly channelWaiters: (() => void)[] = [];

  constructor(options: SshCommandRunnerOptions) {
    this.connection = new SshConnection({
      ...options,
      port: options.port ?? 22,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_SSH_CONNECT_TIMEOUT_MS,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? DEFAULT_SSH_KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: options.keepaliveCountMax ?? DEFAULT_SSH_KEEPALIVE_COUNT_MAX,
      reconnectInitialDelayMs:
        options.reconnectInitialDelayMs ?? DEFAULT_SSH_RECONNECT_INITIAL_DELAY_MS,
      reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? DEFAULT_SSH_RECONNECT_MAX_DELAY_MS,
    });
    this.description = this.connection.description;
    this.maxChannels = options.maxChannels ?? DEFAULT_SSH_MAX_CHANNELS;
    this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  }

  async run(argv: readonly string[], options: RunOptions): Promise<CommandResult> {
    const command = shellCommand(argv);
    const deadline = Date.now() + options.timeoutMs;
    const name = argv[0] ?? '';
    const release = await this.acquireChannel(deadline, name);
    try {
      const client = await this.connection.get(deadline);
      try {
        return await this.execute(client, command, name, options, deadline);
      } catch (error) {
        if (!(error instanceof ChannelNotOpened)) throw error;
        if (this.connection.isCurrent(client)) throw this.channelError(name, error.cause);
        // The connection was gone before the command started: it never ran, so one retry is safe.
        const fresh = await this.connection.get(deadline);
        return await this.execute(fresh, command, name, options, deadline).catch(
          (retryError: unknown) => {
            throw retryError instanceof ChannelNotOpened
              ? this.channelError(name, retryError.cause)
              : retryError;
          },
        );
      }
    } finally {
      release();
    }
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  private async acquireChannel(deadline: number, name: string): Promise<() => void> {
    if (this.activeChannels >= this.maxChannels) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => {
            const index = this.channelWaiters.indexOf(wake);
            if (index >= 0) this.channelWaiters.splice(index, 1);
            reject(
              new SlurmSourceError(
                'TIMEOUT',
                `${this.description}: ${name} waited for a free ssh channel until its timeout (${this.maxChannels} commands were running); raise maxChannels (and sshd's MaxSessions) or the timeout`,
              ),
            );
          },
          Math.max(0, deadline - Date.now()),
        );
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        this.channelWaiters.push(wake);
      });
    }
    this.activeChannels++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.activeChannels--;
      this.channelWaiters.shift()?.();
    };
  }

  private channelError(name: string, error: unknown): SlurmSourceError {
    return new SlurmSourceError(
      'UNREACHABLE',
      `${this.description}: could not start ${name}: ${errorMessage(error)}; the command did not run`,
      { cause: error },
    );
  }

  /**
   * Opens a channel, runs the command on it and collects its output. The listeners are attached in
   * the exec callback itself: ssh2 parses a whole TCP chunk at once, so a quick command's output,
   * exit status and close can all arrive before any promise continuation would run.
   */
  private execute(
    client: SshClient,
    command: string,
    name: string,
    options: RunOptions,
    deadline: number,
  ): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      try {
        client.exec(command, (error, channel) => {
          if (error) reject(new ChannelNotOpened(error));
          else this.watch(client, channel, name, options, deadline, resolve, reject);
        });
      } catch (error) {
        // ssh2 throws "Not connected" synchronously when the socket is already gone.
        reject(new ChannelNotOpened(error));
      }
    });
  }

  private watch(
    client: SshClient,
    channel: ClientChannel,
    name: string,
    options: RunOptions,
    deadline: number,
    resolve: (result: CommandResult) => void,
    reject: (error: SlurmSourceError) => void,
  ): void {
    const stdout = new BoundedOutput(this.maxOutputBytes);
    const stderr = new BoundedOutput(this.maxOutputBytes);
    let exit: { code: number | null; signal: string | null } | undefined;
    let failure: SlurmSourceError | undefined;
    const abandon = (error: SlurmSourceError): void => {
      if (failure) return;
      failure = error;
      // Kill the remote process (OpenSSH honours "signal" requests), then close the channel: the
      // connection itself stays up for the next command.
      signalKill(channel);
      channel.close();
    };
    const timer = setTimeout(
      () =>
        abandon(
          new SlurmSourceError(
            'TIMEOUT',
            `${this.description}: ${name} did not finish within ${options.timeoutMs} ms; it was killed and its channel closed (raise the timeout if the cluster is just slow)`,
          ),
        ),
      Math.max(0, deadline - Date.now()),
    );
    const collect = (output: BoundedOutput, stream: string) => (chunk: Buffer) => {
      if (!output.push(chunk))
        abandon(
          new SlurmSourceError(
            'COMMAND_FAILED',
            `${this.description}: ${name} printed more than ${output.limit} bytes on ${stream}; it was killed (raise maxOutputBytes)`,
          ),
        );
    };
    channel.on('data', collect(stdout, 'stdout'));
    channel.stderr.on('data', collect(stderr, 'stderr'));
    channel.on('exit', (code: number | null, signal?: string) => {
      exit = { code: code ?? null, signal: signal ?? null };
    });
    channel.on('error', (error: Error) =>
      abandon(
        new SlurmSourceError('UNREACHABLE', `${this.description}: ${name}: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    channel.on('close', () => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (exit)
        resolve({
          stdout: stdout.text(),
          stderr: stderr.text(),
          exitCode: exit.code,
          signal: exit.signal,
        });
      else if (!this.connection.isCurrent(client))
        reject(
          new SlurmSourceError(
            'UNREACHABLE',
            `${this.description}: the connection dropped while ${name} ran; it may or may not have taken effect`,
          ),
        );
      else
        reject(
          new SlurmSourceError(
            'COMMAND_FAILED',
            `${this.description}: ${name} ended without an exit status`,
          ),
        );
    });
    channel.end(options.stdin ?? '');
  }
}

/** The exec request failed: the remote command never started. */
class ChannelNotOpened extends Error {
  constructor(override readonly cause: unknown) {
    super(errorMessage(cause));
  }
}

/**
 * Sends SIGKILL to the remote command (sshd kills the session's process group). ssh2's
 * `channel.signal()` does nothing once our side sent EOF — and stdin is always closed at once — but
 * a "signal" request is valid after EOF (RFC 4254 §6.9), so it goes to the protocol directly.
 */
function signalKill(channel: ClientChannel): void {
  const internals = channel as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal?: (id: number, name: string) => void } };
  };
  const protocol = internals._client?._protocol;
  const id = internals.outgoing?.id;
  try {
    if (
      typeof protocol?.signal === 'function' &&
      typeof id === 'number' &&
      internals.outgoing?.state !== 'closed'
    )
      protocol.signal(id, 'KILL');
    else channel.signal('KILL');
  } catch {
    // The channel is already closing: nothing left to kill.
  }
}
