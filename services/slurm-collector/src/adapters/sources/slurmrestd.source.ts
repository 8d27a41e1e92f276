import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { slurmTime } from '../../domain/parsers/slurm-commands.js';
import type { RawOutput, SlurmCommandKind } from '../../domain/raw-output.js';
import { validateCancelJobRequest, validateSubmitJobRequest } from './job-request.validation.js';
import {
  SlurmSourceError,
  type CancelJobRequest,
  type SlurmSource,
  type SubmitJobRequest,
} from './slurm-source.port.js';
import { errorCode, errorMessage } from './error-message.js';

export interface SlurmrestdSourceOptions {
  /** Base URL, e.g. http://127.0.0.1:6830 (a path prefix of a reverse proxy is kept). */
  readonly url: string;
  /** X-SLURM-USER-NAME. */
  readonly user: string;
  /** The JWT (`scontrol token`), or a file holding it, read at every request so it can be renewed. */
  readonly token?: string;
  readonly tokenPath?: string;
  /** The OpenAPI plugin version in the paths. Default v0.0.38 (Slurm 22.05). */
  readonly openapiVersion?: string;
  /** Per request. Default 30 s; accounting 120 s. */
  readonly timeoutMs?: number;
  readonly accountingTimeoutMs?: number;
  /** Jobs submitted without workDir run here (slurmrestd has no login directory). Default /tmp. */
  readonly defaultWorkDir?: string;
  /** The job's environment before the request's env: slurmrestd exports nothing by itself. */
  readonly baseEnvironment?: Readonly<Record<string, string>>;
  readonly clock?: () => Date;
}

export const DEFAULT_OPENAPI_VERSION = 'v0.0.38';
export const DEFAULT_REST_TIMEOUT_MS = 30_000;
export const DEFAULT_REST_ACCOUNTING_TIMEOUT_MS = 120_000;
export const DEFAULT_REST_ENVIRONMENT: Readonly<Record<string, string>> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
};

/** Slurm error numbers that slurmrestd puts in `errors` (slurm_errno.h). */
const NOTHING_FOUND = 9003;
const PROTOCOL_AUTHENTICATION_ERROR = 1007;
/** DELETE /job/{id}?signal= takes these names only (v0.0.38_signal). */
const REST_SIGNALS = new Set([
  'HUP',
  'INT',
  'QUIT',
  'ABRT',
  'KILL',
  'ALRM',
  'TERM',
  'USR1',
  'USR2',
  'URG',
  'CONT',
  'STOP',
  'TSTP',
  'TTIN',
  'TTOU',
]);

interface RestError {
  readonly error?: string;
  readonly description?: string;
  readonly error_number?: number;
  readonly error_code?: number;
  readonly source?: string;
}

/**
 * Slurm over slurmrestd with a JWT. Its answers are the JSON documents of the OpenAPI plugin, the
 * same shape family as `squeue/sinfo/sacct --json` (meta, errors, jobs|nodes), returned as they came.
 *
 * slurmrestd 22.05 quirks handled here: a missing token is HTTP 401, but an invalid or expired one
 * is HTTP 500 "Unspecified error" from /slurm and HTTP 200 with error 1007 and an empty job list from
 * /slurmdb — so `errors` is checked on every answer, never just the status. An empty accounting
 * window is error 9003 "Nothing found" with `jobs: []`: a normal answer. Times in the slurmdb query
 * use Slurm's time syntax (a Unix time is refused). Submit bodies follow v0.0.38's job_properties.
 */
export class SlurmrestdSource implements SlurmSource {
  readonly description: string;
  readonly simulated = false;
  private readonly base: string;
  private readonly version: string;
  private readonly clock: () => Date;

  constructor(private readonly options: SlurmrestdSourceOptions) {
    if (options.token === undefined && options.tokenPath === undefined) {
      throw new SlurmSourceError(
        'INVALID_REQUEST',
        'slurmrestd needs a JWT: set token or tokenPath (scontrol token username=USER)',
        { field: 'token' },
      );
    }
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (error) {
      throw new SlurmSourceError(
        'INVALID_REQUEST',
        `slurmrestd url ${JSON.stringify(options.url)} is not a URL`,
        { cause: error, field: 'url' },
      );
    }
    this.base = url.href.replace(/\/+$/, '');
    this.version = options.openapiVersion ?? DEFAULT_OPENAPI_VERSION;
    if (!/^v\d+\.\d+\.\d+$/.test(this.version)) {
      throw new SlurmSourceError(
        'INVALID_REQUEST',
        `openapiVersion ${JSON.stringify(this.version)} is not like "v0.0.38"`,
        { field: 'openapiVersion' },
      );
    }
    // The URL without credentials (a reverse proxy's user:password would otherwise end up in logs).
    url.username = '';
    url.password = '';
    this.description = `slurmrestd ${options.user}@${url.host}${url.pathname.replace(/\/+$/, '')} (${this.version})`;
    this.clock = options.clock ?? (() => new Date());
  }

  queue(): Promise<RawOutput> {
    return this.query(
      'squeue',
      `/slurm/${this.version}/jobs`,
      this.options.timeoutMs ?? DEFAULT_REST_TIMEOUT_MS,
    );
  }

  nodes(): Promise<RawOutput> {
    return this.query(
      'sinfo',
      `/slurm/${this.version}/nodes`,
      this.options.timeoutMs ?? DEFAULT_REST_TIMEOUT_MS,
    );
  }

  accounting(since: Date, until: Date): Promise<RawOutput> {
    const query = new URLSearchParams({ start_time: slurmTime(since), end_time: slurmTime(until) });
    return this.query(
      'sacct',
      `/slurmdb/${this.version}/jobs?${query.toString()}`,
      this.options.accountingTimeoutMs ?? DEFAULT_REST_ACCOUNTING_TIMEOUT_MS,
    );
  }

  async submit(input: SubmitJobRequest): Promise<{ jobId: string }> {
    const request = validateSubmitJobRequest(input);
    const job = {
      name: request.name,
      partition: request.partition,
      account: request.account,
      qos: request.qos,
      time_limit: request.timeLimitMinutes,
      nodes: request.nodes === undefined ? undefined : [request.nodes, request.nodes],
      cpus_per_task: request.cpusPerTask,
      memory_per_node: request.memoryMB,
      gpus: request.gpus === undefined ? undefined : String(request.gpus),
      current_working_directory: request.workDir ?? this.options.defaultWorkDir ?? '/tmp',
      standard_output: request.output,
      standard_error: request.error,
      comment: request.comment,
      array: request.array,
      dependency: request.dependency,
      hold: request.hold,
      environment: {
        ...(this.options.baseEnvironment ?? DEFAULT_REST_ENVIRONMENT),
        ...request.env,
      },
    };
    const { status, document } = await this.request(
      'POST',
      `/slurm/${this.version}/job/submit`,
      DEFAULT_REST_TIMEOUT_MS,
      JSON.stringify({ script: request.script, job }),
    );
    const jobId = (document as { job_id?: unknown } | undefined)?.job_id;
    // A submitted job can come with informational "errors" (2042: "Job is in held state"): the id decides.
    if (status === 200 && typeof jobId === 'number' && Number.isSafeInteger(jobId))
      return { jobId: String(jobId) };
    throw this.failure('submit', status, document);
  }

  async cancel(input: CancelJobRequest): Promise<void> {
    const request = validateCancelJobRequest(input);
    const signal = request.signal === undefined ? undefined : restSignal(request.signal);
    const path = `/slurm/${this.version}/job/${encodeURIComponent(request.jobId)}${signal === undefined ? '' : `?signal=${signal}`}`;
    const { status, document } = await this.request('DELETE', path, DEFAULT_REST_TIMEOUT_MS);
    if (status !== 200 || errorsOf(document).length > 0)
      throw this.failure(`cancel ${request.jobId}`, status, document);
  }

  async close(): Promise<void> {}

  private async query(kind: SlurmCommandKind, path: string, timeoutMs: number): Promise<RawOutput> {
    const observedAt = this.clock().toISOString();
    const { status, body, document } = await this.request('GET', path, timeoutMs);
    const errors = errorsOf(document).filter((e) => e.error_number !== NOTHING_FOUND);
    if (status !== 200 || errors.length > 0)
      throw this.failure(`GET ${path.split('?')[0] ?? path}`, status, document);
    return { kind, format: 'json', body, observedAt };
  }

  private async request(
    method: string,
    path: string,
    timeoutMs: number,
    body?: string,
  ): Promise<{ status: number; body: string; document: unknown }> {
    const token = await this.token();
    const headers: Record<string, string> = {
      'X-SLURM-USER-NAME': this.options.user,
      'X-SLURM-USER-TOKEN': token,
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw this.transportError(method, path, timeoutMs, error);
    }
    if (response.status === 401 || response.status === 403) {
      throw new SlurmSourceError(
        'AUTH_FAILED',
        `${this.description}: ${method} ${path.split('?')[0] ?? path} was refused (HTTP ${response.status} ${text.trim().slice(0, 200)}); check the user name and renew the token (scontrol token username=${this.options.user})`,
      );
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      document = undefined;
    }
    return { status: response.status, body: text, document };
  }

  private async token(): Promise<string> {
    const token = this.options.token?.trim() ?? (await this.tokenFromFile());
    if (token === '') {
      throw new SlurmSourceError(
        'AUTH_FAILED',
        `${this.description}: the token is empty; set it with scontrol token username=${this.options.user}`,
      );
    }
    return token;
  }

  private async tokenFromFile(): Promise<string> {
    const path = this.options.tokenPath ?? '';
    try {
      // A file written by `scontrol token` may still hold the "SLURM_JWT=" prefix.
      return (await readFile(path, 'utf8')).trim().replace(/^SLURM_JWT=/, '');
    } catch (error) {
      throw new SlurmSourceError(
        'AUTH_FAILED',
        `${this.description}: cannot read the token file ${path}: ${errorMessage(error)}`,
        { cause: error },
      );
    }
  }

  private transportError(
    method: string,
    path: string,
    timeoutMs: number,
    error: unknown,
  ): SlurmSourceError {
    const what = `${this.description}: ${method} ${path.split('?')[0] ?? path}`;
    const name = (error as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new SlurmSourceError(
        'TIMEOUT',
        `${what} got no answer within ${timeoutMs} ms; raise the timeout if slurmrestd is just slow`,
        { cause: error },
      );
    }
    // fetch fails with "fetch failed"; the socket's reason (ECONNREFUSED, ENOTFOUND, ...) is its cause.
    const cause = (error as { cause?: unknown } | null)?.cause;
    const reason =
      errorCode(cause) ?? (cause === undefined ? errorMessage(error) : errorMessage(cause));
    return new SlurmSourceError(
      'UNREACHABLE',
      `${what} failed (${reason}); check that slurmrestd runs and listens at ${this.base}`,
      { cause: error },
    );
  }

  private failure(what: string, status: number, document: unknown): SlurmSourceError {
    const errors = errorsOf(document);
    const text =
      errors
        .map((e) => [e.source, e.description ?? e.error].filter(Boolean).join(': '))
        .join('; ') || (document === undefined ? 'an answer that is not JSON' : 'no error text');
    if (errors.some((e) => e.error_number === PROTOCOL_AUTHENTICATION_ERROR)) {
      return new SlurmSourceError(
        'AUTH_FAILED',
        `${this.description}: ${what}: ${text}; renew the token (scontrol token username=${this.options.user})`,
      );
    }
    const hint =
      status === 500 && errors.some((e) => e.error_number === -1)
        ? ' (slurmrestd 22.05 also answers this way when the token is invalid or expired)'
        : '';
    return new SlurmSourceError(
      'COMMAND_FAILED',
      `${this.description}: ${what} failed with HTTP ${status}: ${text}${hint}`,
    );
  }
}

function errorsOf(document: unknown): RestError[] {
  const errors = (document as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors)
    ? errors.filter((e): e is RestError => typeof e === 'object' && e !== null)
    : [];
}

/** `USR1`, `SIGUSR1` or `10` → `USR1`; a signal v0.0.38 has no name for is refused. */
function restSignal(signal: string): string {
  let name = signal.replace(/^SIG/, '');
  if (/^\d+$/.test(signal)) {
    const found = Object.entries(constants.signals).find(
      ([, number]) => number === Number(signal),
    )?.[0];
    name = found?.replace(/^SIG/, '') ?? signal;
  }
  if (!REST_SIGNALS.has(name)) {
    throw new SlurmSourceError(
      'INVALID_REQUEST',
      `refused before anything ran: signal ${JSON.stringify(signal)} cannot be sent through slurmrestd (it takes ${[...REST_SIGNALS].join(', ')})`,
      { field: 'signal' },
    );
  }
  return name;
}
