import type { Prng } from './prng.js';
import type {
  SimOutcomes,
  SimPartition,
  SimulatedClusterConfig,
} from './simulated-cluster.config.js';
import { SUBMIT_USER } from './cluster-topology.js';
import {
  SIGTERM,
  type SimJobInit,
  type SimNode,
  type SimUser,
  WaitStatus,
} from './simulated-job.js';

/**
 * The generated workload: what users submit and how their jobs end. Pure functions of a Prng, so
 * the draws happen in one fixed order and a seed replays the same day on the cluster.
 */

const PROJECTS: Readonly<Record<string, readonly string[]>> = {
  astro: ['galaxy-sim', 'lensing', 'spectra-fit', 'nbody'],
  bio: ['align', 'variant-call', 'fold', 'assembly'],
  climate: ['era5-regrid', 'wrf', 'ensemble', 'downscale'],
  ml: ['train', 'finetune', 'eval', 'sweep'],
  physics: ['lattice', 'mc-events', 'dft', 'hydro'],
};
const FALLBACK_PROJECTS = ['analysis', 'sim', 'postproc'];

const EXIT_CODES = [1, 1, 1, 2, 3, 127, 255];
const SIGNALS = [9, 9, 11, 6];

export const JobKind = { Cpu: 0, MultiNode: 1, Gpu: 2, Debug: 3, Array: 4 } as const;
export type JobKind = (typeof JobKind)[keyof typeof JobKind];

export interface WorkloadContext {
  readonly config: SimulatedClusterConfig;
  readonly users: readonly SimUser[];
  /** Some users submit far more than others (a Zipf-like weight per user; 0 for the source's own user). */
  readonly userWeights: readonly number[];
  readonly partitions: ReadonlyMap<string, SimPartition>;
  /** Per-account priority offset, fixed for a seed (a stand-in for fair share). */
  readonly accountPriority: ReadonlyMap<string, number>;
  /** GPU types present in the cluster. */
  readonly gpuTypes: readonly string[];
}

export interface Arrival {
  readonly kind: JobKind;
  readonly init: Omit<SimJobInit, 'jobId' | 'submitTime'>;
  /** `--array=1-N` size (0: not an array). */
  readonly arraySize: number;
  readonly held: boolean;
  /** Seconds after submission the job becomes eligible (`--begin`), 0 for now. */
  readonly beginAfter: number;
  readonly wantsDependency: boolean;
  /** Seconds after submission at which the user cancels it if still pending (0: never). */
  readonly cancelPendingAfter: number;
}

/** The workload of a cluster: who submits how much, and the fixed per-account priorities. */
export function workloadContext(
  config: SimulatedClusterConfig,
  users: readonly SimUser[],
  nodes: readonly SimNode[],
  prng: Prng,
): WorkloadContext {
  return {
    config,
    users,
    userWeights: users.map((u, i) =>
      u.name === SUBMIT_USER ? 0 : 1 / (1 + ((i * 7) % users.length)) ** 0.8,
    ),
    partitions: new Map(config.partitions.map((p) => [p.name, p])),
    accountPriority: new Map(config.accounts.map((a) => [a.name, prng.int(0, 4000)])),
    gpuTypes: [...new Set(nodes.flatMap((n) => (n.gpuType === null ? [] : [n.gpuType])))],
  };
}

export function drawArrival(prng: Prng, ctx: WorkloadContext): Arrival {
  const { config } = ctx;
  const k = config.jobKinds;
  const kind = prng.weighted([k.cpu, k.multiNode, k.gpu, k.debug, k.array]) as JobKind;
  const userIndex = prng.weighted(ctx.userWeights);
  const user = ctx.users[userIndex]!;
  const partitionName = partitionFor(kind, ctx);
  const partition = ctx.partitions.get(partitionName)!;
  const timeLimit = Math.min(prng.pick(partition.timeLimits), partition.maxTimeMinutes);
  const project = prng.pick(PROJECTS[user.account] ?? FALLBACK_PROJECTS);

  let cpus = 1;
  let nodeCount = 1;
  let memoryMB = 0;
  let memoryPerCpu = true;
  let gpusPerNode = 0;
  let gpuType: string | null = null;
  let arraySize = 0;
  let arrayMaxRunning = 0;
  switch (kind) {
    case JobKind.Cpu:
      cpus = prng.pick([1, 1, 2, 4, 4, 8, 8, 16, 16, 32, 64]);
      memoryPerCpu = prng.chance(0.6);
      memoryMB = memoryPerCpu
        ? prng.pick([1000, 2000, 3000, 4000])
        : prng.pick([8000, 16384, 32768, 65536]);
      break;
    case JobKind.MultiNode:
      nodeCount = prng.int(2, 4);
      cpus = nodeCount * prng.pick([8, 16, 32]);
      memoryPerCpu = false;
      memoryMB = prng.pick([65536, 131072, 200000]);
      break;
    case JobKind.Gpu:
      gpusPerNode = prng.pick([1, 1, 1, 2, 2, 4]);
      gpuType = ctx.gpuTypes.length > 0 && prng.chance(0.6) ? prng.pick(ctx.gpuTypes) : null;
      cpus = gpusPerNode * prng.pick([4, 8]);
      memoryPerCpu = false;
      memoryMB = gpusPerNode * prng.pick([16384, 32768, 40960]);
      break;
    case JobKind.Debug:
      cpus = prng.pick([1, 2, 4, 8]);
      memoryMB = 2000;
      break;
    case JobKind.Array:
      cpus = prng.pick([1, 2, 4]);
      memoryMB = 4000;
      arraySize = prng.int(4, 24);
      arrayMaxRunning = prng.chance(0.3) ? prng.int(2, 8) : 0;
      break;
  }
  const run = drawRun(prng, config.outcomes, timeLimit * 60);
  const o = config.outcomes;
  const cancelRunning = prng.chance(o.cancelRunning);
  const requeue = !prng.chance(o.noRequeue);
  const adminRequeue = prng.chance(o.adminRequeue);
  const held = prng.chance(o.held);
  const beginAfter = prng.chance(o.beginLater) ? 60 * prng.int(10, 120) : 0;
  const wantsDependency = prng.chance(o.dependency);
  const cancelPendingAfter = prng.chance(o.cancelPending)
    ? Math.round(prng.exponential(1800)) + 30
    : 0;
  const explicitOutput = prng.chance(0.4);
  const script = prng.chance(0.7);
  const comment = prng.chance(0.15) ? `${project} run ${prng.int(1, 400)}` : '';
  const name = kind === JobKind.Debug ? `${project}-debug` : project;
  const workDir = `/scratch/${user.name}/${project}`;
  const outputPattern = arraySize > 0 ? '%x-%A_%a.out' : '%x-%j.out';

  return {
    kind,
    arraySize,
    held,
    beginAfter,
    wantsDependency,
    cancelPendingAfter,
    init: {
      name,
      user: userIndex,
      account: user.account,
      partition: partitionName,
      qos: kind === JobKind.Debug ? 'debug' : 'normal',
      cpus,
      nodeCount,
      memoryMB,
      memoryPerCpu,
      gpusPerNode,
      gpuType,
      constraint: '',
      timeLimit,
      cpusSet: cpus > 1,
      memSet: !memoryPerCpu,
      requeue,
      workDir,
      command: script ? `${workDir}/${name}.sbatch` : '',
      stdout: explicitOutput ? `${workDir}/logs/${outputPattern}` : '',
      stderr: '',
      comment,
      basePriority: basePriority(prng, ctx, partition, user),
      runtime: run.runtime,
      outcome: run.outcome,
      arrayMaxRunning,
      cancelAfter: cancelRunning
        ? Math.max(1, Math.round(run.runtime * (0.1 + 0.8 * prng.next())))
        : 0,
      requeueAfter: adminRequeue
        ? Math.max(1, Math.round(run.runtime * (0.2 + 0.6 * prng.next())))
        : 0,
    },
  };
}

/**
 * How long one run works and how it ends if nothing stops it first: a run longer than the limit
 * is killed at the limit (TIMEOUT); otherwise it exits 0, exits non-zero, or dies by a signal.
 */
export function drawRun(
  prng: Prng,
  outcomes: SimOutcomes,
  limitSeconds: number,
): { runtime: number; outcome: number } {
  const r = prng.next();
  if (r < outcomes.timeout) {
    return {
      runtime: limitSeconds + 60 + prng.int(0, 3600),
      outcome: WaitStatus.signaled(SIGTERM),
    };
  }
  // Most jobs use a good part of what they asked for; few use all of it.
  const runtime = Math.max(20, Math.round(limitSeconds * (0.03 + 0.9 * prng.next() ** 1.6)));
  const f = prng.next();
  if (f < outcomes.fail) return { runtime, outcome: WaitStatus.exited(prng.pick(EXIT_CODES)) };
  if (f < outcomes.fail + outcomes.signal)
    return { runtime, outcome: WaitStatus.signaled(prng.pick(SIGNALS)) };
  return { runtime, outcome: 0 };
}

function partitionFor(kind: JobKind, ctx: WorkloadContext): string {
  const wanted = kind === JobKind.Gpu ? 'gpu' : kind === JobKind.Debug ? 'debug' : 'cpu';
  if (ctx.partitions.has(wanted)) return wanted;
  return ctx.partitions.keys().next().value ?? wanted;
}

function basePriority(
  prng: Prng,
  ctx: WorkloadContext,
  partition: SimPartition,
  user: SimUser,
): number {
  // Shaped like priority/multifactor: a partition tier, a per-account share, and some jitter.
  return (
    10_000 * partition.priorityTier +
    (ctx.accountPriority.get(user.account) ?? 0) +
    prng.int(0, 999)
  );
}
