import type { SimPartitionState } from './cluster-topology.js';
import { type ParsedDependency, parseDependency } from './dependencies.js';
import { type SimJobInit, type SimUser, WaitStatus } from './simulated-job.js';
import { SimulatedCommandRejectedError } from './simulator.errors.js';

/** What can be asked of the simulated sbatch (the options a real sbatch takes, by meaning). */
export interface SimSubmitRequest {
  readonly name?: string;
  /** Who submits; the cluster's submit user (`clocktower`) when absent. */
  readonly user?: string;
  readonly account?: string;
  readonly qos?: string;
  /** The default partition (the first configured) when absent. */
  readonly partition?: string;
  /** Total CPUs (`--ntasks × --cpus-per-task`). */
  readonly cpus?: number;
  readonly nodes?: number;
  /** `--mem` (per node, MB). */
  readonly memoryMB?: number;
  /** `--mem-per-cpu` (MB). */
  readonly memoryPerCpuMB?: number;
  /** GPUs per node (`--gres=gpu[:type]:N`). */
  readonly gpus?: number;
  readonly gpuType?: string;
  readonly constraint?: string;
  readonly timeLimitMinutes?: number;
  /** `--array`: `1-10`, `1-10%2`, `0,3,5-7`. */
  readonly array?: string;
  /** `--dependency`, as sources accept it (see dependencies.ts). */
  readonly dependency?: string;
  readonly hold?: boolean;
  /** `--begin`, in the cluster's (virtual) epoch seconds. */
  readonly beginTime?: number;
  readonly requeue?: boolean;
  readonly workDir?: string;
  readonly command?: string;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly comment?: string;
  /** How long the job works, and its exit status; drawn from the workload when absent. */
  readonly runtimeSeconds?: number;
  readonly exitCode?: number;
}

/** Slurm's default MaxArraySize is 1001: task ids 0…1000. */
export const MAX_ARRAY_TASK_ID = 1000;

export interface ParsedArray {
  readonly tasks: number[];
  readonly maxRunning: number;
}

/** `1-10%2` → tasks 1…10, at most 2 running. Ids ascending and distinct. */
export function parseArraySpec(spec: string): ParsedArray {
  const match = /^([0-9,\-:]+)(?:%(\d+))?$/.exec(spec.trim());
  if (!match)
    throw new SimulatedCommandRejectedError('sbatch', `Invalid job array specification: ${spec}`);
  const tasks = new Set<number>();
  for (const part of (match[1] ?? '').split(',')) {
    const range = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (!range)
      throw new SimulatedCommandRejectedError('sbatch', `Invalid job array specification: ${spec}`);
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    const step = range[3] === undefined ? 1 : Number(range[3]);
    if (last < first || step < 1 || last > MAX_ARRAY_TASK_ID) {
      throw new SimulatedCommandRejectedError('sbatch', `Invalid job array specification: ${spec}`);
    }
    for (let t = first; t <= last; t += step) tasks.add(t);
  }
  return {
    tasks: [...tasks].sort((a, b) => a - b),
    maxRunning: match[2] === undefined ? 0 : Number(match[2]),
  };
}

export function positiveInt(value: number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1)
    throw new SimulatedCommandRejectedError(
      'sbatch',
      `${what} must be a positive integer, got ${value}`,
    );
  return value;
}

/** The signals scancel can send that end a job; other signals reach the job and it goes on. */
const TERMINATING = new Set(['KILL', 'TERM', 'INT', 'HUP', 'QUIT', '9', '15', '2', '1', '3']);
const KNOWN = new Set([
  ...TERMINATING,
  'USR1',
  'USR2',
  'CONT',
  'STOP',
  'TSTP',
  '10',
  '12',
  '18',
  '19',
  '20',
]);

/** Whether `scancel --signal=SIGNAL` ends the job. Undefined (plain scancel) does. */
export function signalEndsJob(signal: string | undefined): boolean {
  if (signal === undefined) return true;
  const name = signal.trim().toUpperCase().replace(/^SIG/, '');
  if (!KNOWN.has(name))
    throw new SimulatedCommandRejectedError('scancel', `Invalid signal: ${signal}`);
  return TERMINATING.has(name);
}

/** The QOS names the simulated cluster has (sacctmgr show qos). */
export const SIM_QOS: readonly string[] = ['normal', 'debug', 'high', 'long'];

export interface SubmitContext {
  readonly users: readonly SimUser[];
  /** Partitions in configuration order: the first is the default. */
  readonly partitions: readonly SimPartitionState[];
  readonly submitUser: string;
  readonly now: number;
  /** Seconds of work for a request that gives none (drawn by the caller's Prng). */
  readonly drawnRuntime: number;
}

/** What sbatch makes of a request: the job, and how it waits. Refuses what sbatch refuses. */
export interface SubmitPlan {
  readonly init: SimJobInit;
  readonly array: ParsedArray | undefined;
  readonly dependencies: readonly ParsedDependency[];
  readonly hold: boolean;
  readonly beginTime: number;
}

export function planSubmit(request: SimSubmitRequest, ctx: SubmitContext): SubmitPlan {
  const userName = request.user ?? ctx.submitUser;
  const userIndex = ctx.users.findIndex((u) => u.name === userName);
  const user = ctx.users[userIndex];
  if (user === undefined)
    throw new SimulatedCommandRejectedError('sbatch', `Invalid user id: ${userName}`);
  // Like sbatch, a list of partitions (or QOS) takes the first one that exists.
  const wanted = request.partition?.split(',') ?? [ctx.partitions[0]?.name ?? ''];
  const partition = ctx.partitions.find(
    (p) =>
      wanted.includes(p.name) &&
      p.name === wanted.find((w) => ctx.partitions.some((q) => q.name === w)),
  );
  if (partition === undefined)
    throw new SimulatedCommandRejectedError('sbatch', 'invalid partition specified');
  const qos = request.qos?.split(',').find((q) => SIM_QOS.includes(q));
  if (request.qos !== undefined && qos === undefined)
    throw new SimulatedCommandRejectedError('sbatch', 'Invalid qos specification');
  const nodeCount = positiveInt(request.nodes, 'nodes') ?? 1;
  const cpus = positiveInt(request.cpus, 'cpus') ?? nodeCount;
  const timeLimit =
    positiveInt(request.timeLimitMinutes, 'timeLimitMinutes') ??
    Math.min(60, partition.config.maxTimeMinutes);
  if (timeLimit > partition.config.maxTimeMinutes) {
    throw new SimulatedCommandRejectedError(
      'sbatch',
      'Requested time limit is invalid (missing or exceeds some limit)',
    );
  }
  const array = request.array === undefined ? undefined : parseArraySpec(request.array);
  const init: SimJobInit = {
    jobId: 0,
    name: request.name ?? 'job',
    user: userIndex,
    account: request.account ?? user.account,
    partition: partition.name,
    qos: qos ?? 'normal',
    cpus,
    nodeCount,
    memoryMB: request.memoryMB ?? request.memoryPerCpuMB ?? 2000,
    memoryPerCpu: request.memoryMB === undefined,
    gpusPerNode: request.gpus ?? 0,
    gpuType: request.gpuType ?? null,
    constraint: request.constraint ?? '',
    timeLimit,
    cpusSet: request.cpus !== undefined,
    memSet: request.memoryMB !== undefined,
    requeue: request.requeue ?? true,
    workDir: request.workDir ?? `/home/${user.name}`,
    command: request.command ?? '',
    stdout: request.stdout ?? '',
    stderr: request.stderr ?? '',
    comment: request.comment ?? '',
    basePriority: 10_000 * partition.config.priorityTier + 5_000,
    submitTime: ctx.now,
    runtime: request.runtimeSeconds ?? ctx.drawnRuntime,
    // A script that does not exit non-zero succeeds: the simulator never fails a submitted job at random.
    outcome: WaitStatus.exited(request.exitCode ?? 0),
    arrayMaxRunning: array?.maxRunning ?? 0,
  };
  return {
    init,
    array,
    dependencies: request.dependency === undefined ? [] : parseDependency(request.dependency),
    hold: request.hold === true,
    beginTime: request.beginTime ?? 0,
  };
}
