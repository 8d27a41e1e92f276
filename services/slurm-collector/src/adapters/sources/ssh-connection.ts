import { readFileSync } from 'node:fs';
import ssh2, { type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import { errorMessage } from './error-message.js';
import { HostKeyPin, sha256Fingerprint } from './host-key-pin.js';
import { SlurmSourceError } from './slurm-source.port.js';
import type { SourceLogger } from './source-logger.js';

const { Client, utils } = ssh2;
export type SshClient = InstanceType<typeof Client>;

export interface SshConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly privateKey?: string | Buffer;
  readonly privateKeyPath?: string;
  readonly passphrase?: string;
  readonly hostKey?: string | readonly string[];
  readonly knownHostsPath?: string;
  readonly connectTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
  readonly reconnectInitialDelayMs: number;
  readonly reconnectMaxDelayMs: number;
  readonly logger?: SourceLogger;
}

/**
 * The one ssh connection a runner shares between its commands: opened on demand, with a pinned
 * host key, keepalive and TCP_NODELAY; dropped when the socket ends, then reopened by the next
 * `get()`. After a failed attempt the next one waits an exponentially growing, bounded delay; a
 * `get()` inside that window fails at once with the last error instead of waiting, so a poller
 * never piles up behind a dead host.
 */
export class SshConnection {
  readonly description: string;
  private readonly pin: HostKeyPin;
  private readonly privateKey: Buffer;
  private client: SshClient | undefined;
  private connecting: Promise<SshClient> | undefined;
  private failedAttempts = 0;
  private lastFailure: { readonly at: number; readonly error: SlurmSourceError } | undefined;
  private closed = false;

  /** Reads and checks the pins and the key now, so bad settings stop start-up. */
  constructor(private readonly settings: SshConnectionOptions) {
    this.description = `ssh ${settings.user}@${settings.host}:${settings.port}`;
    this.pin = HostKeyPin.from({
      hostKeys:
        settings.hostKey === undefined
          ? []
          : typeof settings.hostKey === 'string'
            ? [settings.hostKey]
            : settings.hostKey,
      ...(settings.knownHostsPath === undefined
        ? {}
        : { knownHosts: readConfigFile(settings.knownHostsPath, 'knownHostsPath') }),
      target: { host: settings.host, port: settings.port },
    });
    this.privateKey = loadPrivateKey(settings);
  }

  /** Whether `client` is still the live connection (a command on it was not cut off by a drop). */
  isCurrent(client: SshClient): boolean {
    return this.client === client && isConnected(client);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.destroy();
        resolve();
      }, 2_000);
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
  }

  /** The live connection, opened now if there is none (within `deadline`, a Date.now() value). */
  async get(deadline: number): Promise<SshClient> {
    if (this.closed)
      throw new SlurmSourceError('UNREACHABLE', `${this.description}: the connection was closed`);
    if (this.client && isConnected(this.client)) return this.client;
    if (this.client) {
      // Its socket is gone but 'close' has not been emitted yet: do not hand it out again.
      this.client.destroy();
      this.client = undefined;
    }
    if (this.connecting) return this.connecting;
    if (this.lastFailure) {
      const delay = Math.min(
        this.settings.reconnectInitialDelayMs * 2 ** (this.failedAttempts - 1),
        this.settings.reconnectMaxDelayMs,
      );
      const wait = this.lastFailure.at + delay - Date.now();
      if (wait > 0) {
        const last = this.lastFailure.error;
        throw new SlurmSourceError(
          last.code,
          `${last.message} (next connection attempt in ${(wait / 1000).toFixed(1)} s)`,
          { cause: last },
        );
      }
    }
    this.connecting = this.connect(deadline).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private connect(deadline: number): Promise<SshClient> {
    const started = Date.now();
    const timeoutMs = Math.max(1, Math.min(this.settings.connectTimeoutMs, deadline - started));
    return new Promise<SshClient>((resolve, reject) => {
      const client = new Client();
      let presentedKey: string | undefined;
      let settled = false;
      const timer = setTimeout(() => {
        fail(
          new SlurmSourceError(
            'TIMEOUT',
            `${this.description}: no ssh session within ${timeoutMs} ms (TCP connect, handshake and login); check that the host answers on port ${this.settings.port}`,
          ),
        );
        client.destroy();
      }, timeoutMs);
      const fail = (error: SlurmSourceError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.failedAttempts++;
        this.lastFailure = { at: Date.now(), error };
        this.settings.logger?.warn(
          `${this.description}: connection failed (${error.code}): ${error.message}`,
        );
        reject(error);
      };
      client.on('ready', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.closed) {
          client.end();
          reject(
            new SlurmSourceError('UNREACHABLE', `${this.description}: the connection was closed`),
          );
          return;
        }
        this.failedAttempts = 0;
        this.lastFailure = undefined;
        this.client = client;
        this.settings.logger?.log(`${this.description}: connected in ${Date.now() - started} ms`);
        resolve(client);
      });
      client.on('error', (error: Error & { level?: string; code?: string }) => {
        if (settled) {
          // Errors of a live connection (keepalive timeout, reset) end in 'close', handled below.
          this.settings.logger?.warn(`${this.description}: connection error: ${error.message}`);
          return;
        }
        fail(this.connectError(error, presentedKey));
      });
      const dropped = (): void => {
        if (this.client !== client) return;
        this.client = undefined;
        if (!this.closed)
          this.settings.logger?.warn(
            `${this.description}: connection closed; the next command reconnects`,
          );
      };
      client.on('end', dropped);
      client.on('close', () => {
        dropped();
        fail(
          new SlurmSourceError(
            'UNREACHABLE',
            `${this.description}: the connection closed during the ssh handshake; check sshd's logs on the host`,
          ),
        );
      });

      const config: ConnectConfig = {
        host: this.settings.host,
        port: this.settings.port,
        username: this.settings.user,
        privateKey: this.privateKey,
        ...(this.settings.passphrase === undefined ? {} : { passphrase: this.settings.passphrase }),
        tryKeyboard: false,
        readyTimeout: timeoutMs,
        keepaliveInterval: this.settings.keepaliveIntervalMs,
        keepaliveCountMax: this.settings.keepaliveCountMax,
        hostVerifier: (key: Buffer): boolean => {
          if (this.pin.matches(key)) return true;
          presentedKey = sha256Fingerprint(key);
          return false;
        },
      };
      const algorithms = this.pin.hostKeyAlgorithms();
      if (algorithms) config.algorithms = { serverHostKey: algorithms as ServerHostKeyAlgorithm[] };
      try {
        client.connect(config);
        // Each command is a few small packets (open, exec, EOF) answered by the server: with Nagle's
        // algorithm on, they wait for delayed ACKs, about 40 ms per command on Linux.
        client.setNoDelay(true);
      } catch (error) {
        fail(
          new SlurmSourceError(
            'INVALID_REQUEST',
            `${this.description}: ssh settings refused: ${errorMessage(error)}`,
            { cause: error },
          ),
        );
      }
    });
  }

  private connectError(
    error: Error & { level?: string; code?: string },
    presentedKey: string | undefined,
  ): SlurmSourceError {
    if (presentedKey !== undefined) {
      return new SlurmSourceError(
        'HOST_KEY_MISMATCH',
        `${this.description}: the server presented host key ${presentedKey}, which is not the pinned key (${this.pin.describe()}). ` +
          `Refusing to connect: someone may be intercepting the connection. If the host's key was changed on purpose, ` +
          `verify the new key out of band and update hostKey/known_hosts.`,
        { cause: error },
      );
    }
    if (error.level === 'client-authentication') {
      return new SlurmSourceError(
        'AUTH_FAILED',
        `${this.description}: the server refused the private key for user ${this.settings.user}; check that its public key is in ~${this.settings.user}/.ssh/authorized_keys and that the account is not locked`,
        { cause: error },
      );
    }
    if (error.level === 'client-timeout') {
      return new SlurmSourceError(
        'TIMEOUT',
        `${this.description}: the ssh handshake did not finish in time; check that an sshd answers on port ${this.settings.port}`,
        { cause: error },
      );
    }
    const reason = error.code ?? error.message;
    return new SlurmSourceError(
      'UNREACHABLE',
      `${this.description}: cannot connect (${reason}); check that the host is up and sshd listens on port ${this.settings.port}`,
      { cause: error },
    );
  }
}

/**
 * Whether the client's socket can still carry a channel. ssh2 notices a dead socket (its `_sock`
 * is no longer writable) before it emits 'close'; without that internal field, trust the events.
 */
function isConnected(client: SshClient): boolean {
  const socket = (client as unknown as { _sock?: { writable?: boolean } })._sock;
  return socket?.writable !== false;
}

function readConfigFile(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new SlurmSourceError(
      'INVALID_REQUEST',
      `${field}: cannot read ${path}: ${errorMessage(error)}`,
      { cause: error, field },
    );
  }
}

/** Parsed once, at construction, so a bad key stops start-up. Errors never quote the key. */
function loadPrivateKey(options: SshConnectionOptions): Buffer {
  const key =
    options.privateKey !== undefined
      ? Buffer.from(options.privateKey)
      : options.privateKeyPath !== undefined
        ? Buffer.from(readConfigFile(options.privateKeyPath, 'privateKeyPath'))
        : undefined;
  if (key === undefined) {
    throw new SlurmSourceError(
      'INVALID_REQUEST',
      'ssh needs a private key: set privateKey or privateKeyPath',
      { field: 'privateKey' },
    );
  }
  const parsed = utils.parseKey(key, options.passphrase);
  const first = Array.isArray(parsed) ? (parsed[0] as unknown) : parsed;
  if (typeof (first as { getPublicSSH?: unknown } | undefined)?.getPublicSSH !== 'function') {
    throw new SlurmSourceError(
      'INVALID_REQUEST',
      `the ssh private key cannot be used: ${errorMessage(parsed)} (a wrong or missing passphrase?)`,
      { field: 'privateKey' },
    );
  }
  return key;
}
