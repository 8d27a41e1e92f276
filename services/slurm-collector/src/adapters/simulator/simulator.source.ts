import { OutputFormat, type RawOutput, SlurmCommandKind } from '../../domain/raw-output.js';
import {
  type CancelJobRequest,
  type SlurmSource,
  SlurmSourceError,
  SlurmSourceErrorCode,
  type SubmitJobRequest,
} from '../sources/slurm-source.port.js';
import {
  validateCancelJobRequest,
  validateSubmitJobRequest,
} from '../sources/job-request.validation.js';
import { renderSacctJson } from './sacct-json.render.js';
import { scriptHints } from './script-hints.js';
import { SimulatedCluster } from './simulated-cluster.js';
import {
  DEFAULT_WARM_UP_SECONDS,
  type SimulatedClusterOverrides,
  simulatedClusterConfig,
} from './simulated-cluster.config.js';
import { renderSinfoJson } from './sinfo-json.render.js';
import { SimulatedCommandRejectedError, SimulatorError } from './simulator.errors.js';
import { renderSqueueJson } from './squeue-json.render.js';
import { parseArraySpec, type SimSubmitRequest } from './submit-request.js';

/** Virtual seconds per real second: a 10-minute job takes a minute to watch. */
export const DEFAULT_SIMULATOR_SPEED = 10;
export const DEFAULT_SIMULATOR_SEED = 1;

export interface SimulatorSourceOptions {
  /** The process clock in epoch milliseconds: `Date.now` in the app, a fake clock in tests. */
  readonly now: () => number;
  readonly seed?: number;
  /** Virtual seconds per real second (default 10). */
  readonly speed?: number;
  readonly clusterName?: string;
  /** Anything else about the cluster and its workload (nodes, partitions, users, rates). */
  readonly cluster?: SimulatedClusterOverrides;
}

/**
 * The embedded demo's Slurm: a SimulatedCluster behind the SlurmSource port. Its virtual clock
 * starts at the injected clock's now (after a warm-up of a few virtual hours, so the cluster is
 * busy from the first poll) and runs `speed` times faster. Every call first catches the cluster up
 * with the injected clock, then answers with the output Slurm 22.05 would print at that moment;
 * `observedAt` is the virtual time.
 */
export class SimulatorSource implements SlurmSource {
  readonly simulated = true;
  readonly description: string;
  readonly cluster: SimulatedCluster;
  readonly speed: number;
  readonly #now: () => number;
  #lastRealMs: number;
  /** Virtual milliseconds earned but not yet applied: the cluster moves in whole seconds. */
  #carryMs = 0;
  #closed = false;

  constructor(options: SimulatorSourceOptions) {
    const speed = options.speed ?? DEFAULT_SIMULATOR_SPEED;
    if (!Number.isFinite(speed) || speed <= 0) {
      throw new SlurmSourceError(
        SlurmSourceErrorCode.InvalidRequest,
        `simulator speed must be > 0, got ${speed}`,
        {
          field: 'speed',
        },
      );
    }
    const seed = options.seed ?? options.cluster?.seed ?? DEFAULT_SIMULATOR_SEED;
    const realNow = options.now();
    const warmUp = options.cluster?.warmUpSeconds ?? DEFAULT_WARM_UP_SECONDS;
    const config = simulatedClusterConfig({
      ...options.cluster,
      seed,
      ...(options.clusterName === undefined ? {} : { clusterName: options.clusterName }),
      // The warm-up ends at the real now, so the first snapshot carries today's timestamps.
      startTime: Math.floor(realNow / 1000) - warmUp,
    });
    this.#now = options.now;
    this.#lastRealMs = realNow;
    this.speed = speed;
    this.cluster = new SimulatedCluster(config);
    this.description = `simulated cluster "${config.clusterName}" (seed ${seed})`;
  }

  /** Catches the virtual clock up with the injected clock (elapsed real time × speed). */
  tick(): void {
    const real = this.#now();
    const elapsed = real - this.#lastRealMs;
    // A clock that steps back (NTP) just waits for real time to pass it again.
    if (elapsed <= 0) return;
    this.#lastRealMs = real;
    this.#carryMs += elapsed * this.speed;
    const seconds = Math.floor(this.#carryMs / 1000);
    if (seconds <= 0) return;
    this.#carryMs -= seconds * 1000;
    this.cluster.advance(seconds);
  }

  async queue(): Promise<RawOutput> {
    this.#ready();
    return this.#output(SlurmCommandKind.Squeue, renderSqueueJson(this.cluster));
  }

  async nodes(): Promise<RawOutput> {
    this.#ready();
    return this.#output(SlurmCommandKind.Sinfo, renderSinfoJson(this.cluster));
  }

  async accounting(since: Date, until: Date): Promise<RawOutput> {
    if (Number.isNaN(since.getTime())) throw invalid('since', 'since must be a valid date');
    if (Number.isNaN(until.getTime())) throw invalid('until', 'until must be a valid date');
    if (since.getTime() > until.getTime()) throw invalid('since', 'since must not be after until');
    this.#ready();
    const body = renderSacctJson(
      this.cluster,
      Math.floor(since.getTime() / 1000),
      Math.floor(until.getTime() / 1000),
    );
    return this.#output(SlurmCommandKind.Sacct, body);
  }

  async submit(request: SubmitJobRequest): Promise<{ jobId: string }> {
    const simRequest = toSimRequest(request);
    this.#ready();
    try {
      return { jobId: String(this.cluster.submit(simRequest).jobId) };
    } catch (error) {
      throw translate(error, 'sbatch');
    }
  }

  async cancel(request: CancelJobRequest): Promise<void> {
    validateCancelJobRequest(request);
    this.#ready();
    try {
      this.cluster.cancel(
        request.jobId,
        request.signal === undefined ? {} : { signal: request.signal },
      );
    } catch (error) {
      throw translate(error, 'scancel');
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #ready(): void {
    if (this.#closed) {
      throw new SlurmSourceError(
        SlurmSourceErrorCode.InvalidRequest,
        `${this.description} is closed`,
      );
    }
    this.tick();
  }

  #output(kind: SlurmCommandKind, body: string): RawOutput {
    return {
      kind,
      format: OutputFormat.Json,
      body,
      observedAt: new Date(this.cluster.now * 1000).toISOString(),
    };
  }
}

/**
 * The checks every source makes (the shared validator), then the simulator's own reading of the
 * request. The environment is accepted and ignored: no script runs.
 */
function toSimRequest(input: SubmitJobRequest): SimSubmitRequest {
  const request = validateSubmitJobRequest(input);
  try {
    if (request.array !== undefined) parseArraySpec(request.array);
  } catch (error) {
    throw invalid('array', error instanceof Error ? error.message : String(error), error);
  }
  const nodes = request.nodes ?? 1;
  const hints = scriptHints(request.script);
  return withoutUndefined({
    name: request.name,
    partition: request.partition,
    account: request.account,
    qos: request.qos,
    timeLimitMinutes: request.timeLimitMinutes,
    nodes: request.nodes,
    cpus: request.cpusPerTask === undefined ? undefined : request.cpusPerTask * nodes,
    memoryMB: request.memoryMB,
    gpus: request.gpus,
    workDir: request.workDir,
    stdout: request.output,
    stderr: request.error,
    comment: request.comment,
    array: request.array,
    dependency: request.dependency,
    hold: request.hold,
    runtimeSeconds: hints.runtimeSeconds,
    exitCode: hints.exitCode,
  });
}

/** exactOptionalPropertyTypes: a field the request left out is absent, not `undefined`. */
function withoutUndefined<T extends object>(
  value: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function invalid(field: string, message: string, cause?: unknown): SlurmSourceError {
  return new SlurmSourceError(SlurmSourceErrorCode.InvalidRequest, message, {
    field,
    ...(cause === undefined ? {} : { cause }),
  });
}

function translate(error: unknown, command: 'sbatch' | 'scancel'): unknown {
  if (error instanceof SimulatedCommandRejectedError && error.command === 'scancel') {
    return invalid('signal', error.message, error);
  }
  if (error instanceof SimulatorError) {
    return new SlurmSourceError(
      SlurmSourceErrorCode.CommandFailed,
      `${command} failed: ${error.message}`,
      { cause: error },
    );
  }
  return error;
}
