/**
 * The shape of a simulated cluster and of its workload. Everything has a default; a test or the
 * embedded app overrides what it cares about (`simulatedClusterConfig({ seed: 7 })`).
 */

export interface SimNodeGroup {
  /** Node names are prefix + a zero-padded number: `cn001`. */
  readonly prefix: string;
  readonly count: number;
  readonly digits: number;
  readonly sockets: number;
  readonly coresPerSocket: number;
  readonly memoryMB: number;
  readonly gpus: number;
  readonly gpuType: string | null;
  readonly features: readonly string[];
  readonly partitions: readonly string[];
}

export interface SimPartition {
  readonly name: string;
  readonly maxTimeMinutes: number;
  /** Jobs in a higher tier are considered first (Slurm's PriorityTier). */
  readonly priorityTier: number;
  /** Time limits users ask for in this partition, in minutes. */
  readonly timeLimits: readonly number[];
}

export interface SimAccount {
  readonly name: string;
  readonly users: readonly string[];
}

/** What kind of job an arrival is, as weights (they need not sum to 1). */
export interface SimJobKinds {
  readonly cpu: number;
  readonly multiNode: number;
  readonly gpu: number;
  readonly debug: number;
  readonly array: number;
}

/** How jobs end and what they ask for beyond resources, as probabilities per job. */
export interface SimOutcomes {
  /** Exit with a non-zero status. */
  readonly fail: number;
  /** Killed by a signal (segfault, OOM killer's SIGKILL). */
  readonly signal: number;
  /** Run past the time limit. */
  readonly timeout: number;
  /** Cancelled by the user while running. */
  readonly cancelRunning: number;
  /** Cancelled by the user while still pending (if it still is by then). */
  readonly cancelPending: number;
  /** Submitted held (`--hold`), released by the user later. */
  readonly held: number;
  /** Submitted with a future start (`--begin`). */
  readonly beginLater: number;
  /** Depends on an earlier job of the same user (`--dependency=afterok:ID`). */
  readonly dependency: number;
  /** Requeued by an administrator while running (`scontrol requeue`). */
  readonly adminRequeue: number;
  /** Submitted with `--no-requeue`: a node failure ends it in NODE_FAIL instead of a requeue. */
  readonly noRequeue: number;
}

export interface SimNodeIncidents {
  /** Expected drains per day for the whole cluster (an admin or a health check). */
  readonly drainsPerDay: number;
  /** Expected node failures per day for the whole cluster (node stops responding). */
  readonly failuresPerDay: number;
  /** Mean time until a drained or failed node is resumed, in seconds. */
  readonly meanRepairSeconds: number;
}

export interface SimulatedClusterConfig {
  readonly seed: number;
  readonly clusterName: string;
  /** Virtual epoch seconds at which the simulation starts (before the warm-up). */
  readonly startTime: number;
  /** Virtual seconds simulated at construction, so a cluster starts with a realistic mix. */
  readonly warmUpSeconds: number;
  readonly firstJobId: number;
  readonly nodeGroups: readonly SimNodeGroup[];
  readonly partitions: readonly SimPartition[];
  readonly accounts: readonly SimAccount[];
  /** Mean arrivals per virtual hour (a Poisson process). */
  readonly arrivalsPerHour: number;
  readonly jobKinds: SimJobKinds;
  readonly outcomes: SimOutcomes;
  readonly incidents: SimNodeIncidents;
  /** Slurm's MinJobAge: how long an ended job stays in squeue's output. */
  readonly minJobAgeSeconds: number;
  /** Ended jobs older than this many are forgotten by accounting too (memory bound of a long demo). */
  readonly maxRetainedEndedJobs: number;
}

export const DEFAULT_CLUSTER_NAME = 'simulated';
/** 2026-01-05T08:00:00Z: a Monday morning; sources replace it with their clock's now. */
export const DEFAULT_START_TIME = 1_767_600_000;
export const DEFAULT_WARM_UP_SECONDS = 3 * 3600;
export const DEFAULT_MIN_JOB_AGE_SECONDS = 300;

export const DEFAULT_NODE_GROUPS: readonly SimNodeGroup[] = [
  {
    prefix: 'cn',
    count: 32,
    digits: 3,
    sockets: 2,
    coresPerSocket: 32,
    memoryMB: 257_000,
    gpus: 0,
    gpuType: null,
    features: ['cpu', 'icelake'],
    partitions: ['cpu', 'debug'],
  },
  {
    prefix: 'ga',
    count: 6,
    digits: 2,
    sockets: 2,
    coresPerSocket: 32,
    memoryMB: 515_000,
    gpus: 4,
    gpuType: 'a100',
    features: ['gpu', 'a100'],
    partitions: ['gpu'],
  },
  {
    prefix: 'gv',
    count: 4,
    digits: 2,
    sockets: 2,
    coresPerSocket: 16,
    memoryMB: 191_000,
    gpus: 4,
    gpuType: 'v100',
    features: ['gpu', 'v100'],
    partitions: ['gpu'],
  },
];

export const DEFAULT_PARTITIONS: readonly SimPartition[] = [
  { name: 'cpu', maxTimeMinutes: 2880, priorityTier: 1, timeLimits: [10, 15, 30, 60, 120, 240] },
  { name: 'gpu', maxTimeMinutes: 1440, priorityTier: 1, timeLimits: [30, 60, 120, 240] },
  { name: 'debug', maxTimeMinutes: 30, priorityTier: 2, timeLimits: [5, 10, 15, 30] },
];

export const DEFAULT_ACCOUNTS: readonly SimAccount[] = [
  { name: 'astro', users: ['alice', 'amir', 'ana', 'arjun'] },
  { name: 'bio', users: ['bruno', 'beatriz', 'bo'] },
  { name: 'climate', users: ['chen', 'clara', 'chidi', 'carmen', 'cyril'] },
  { name: 'ml', users: ['dana', 'dmitri', 'deepa', 'diego'] },
  { name: 'physics', users: ['elena', 'emeka', 'erik', 'esra'] },
];

export const DEFAULT_JOB_KINDS: SimJobKinds = {
  cpu: 50,
  multiNode: 6,
  gpu: 15,
  debug: 12,
  array: 10,
};

export const DEFAULT_OUTCOMES: SimOutcomes = {
  fail: 0.09,
  signal: 0.02,
  timeout: 0.05,
  cancelRunning: 0.03,
  cancelPending: 0.03,
  held: 0.02,
  beginLater: 0.03,
  dependency: 0.05,
  adminRequeue: 0.005,
  noRequeue: 0.3,
};

export const DEFAULT_INCIDENTS: SimNodeIncidents = {
  drainsPerDay: 6,
  failuresPerDay: 2,
  meanRepairSeconds: 3600,
};

export const DEFAULT_SIMULATED_CLUSTER_CONFIG: SimulatedClusterConfig = {
  seed: 1,
  clusterName: DEFAULT_CLUSTER_NAME,
  startTime: DEFAULT_START_TIME,
  warmUpSeconds: DEFAULT_WARM_UP_SECONDS,
  firstJobId: 41_000,
  nodeGroups: DEFAULT_NODE_GROUPS,
  partitions: DEFAULT_PARTITIONS,
  accounts: DEFAULT_ACCOUNTS,
  arrivalsPerHour: 250,
  jobKinds: DEFAULT_JOB_KINDS,
  outcomes: DEFAULT_OUTCOMES,
  incidents: DEFAULT_INCIDENTS,
  minJobAgeSeconds: DEFAULT_MIN_JOB_AGE_SECONDS,
  maxRetainedEndedJobs: 20_000,
};

export type SimulatedClusterOverrides = Partial<
  Omit<SimulatedClusterConfig, 'outcomes' | 'incidents' | 'jobKinds'>
> & {
  readonly outcomes?: Partial<SimOutcomes>;
  readonly incidents?: Partial<SimNodeIncidents>;
  readonly jobKinds?: Partial<SimJobKinds>;
};

/** The default cluster with some values replaced; nested weights merge with their defaults. */
export function simulatedClusterConfig(
  overrides: SimulatedClusterOverrides = {},
): SimulatedClusterConfig {
  const base = DEFAULT_SIMULATED_CLUSTER_CONFIG;
  const config: SimulatedClusterConfig = {
    ...base,
    ...overrides,
    outcomes: { ...base.outcomes, ...overrides.outcomes },
    incidents: { ...base.incidents, ...overrides.incidents },
    jobKinds: { ...base.jobKinds, ...overrides.jobKinds },
  };
  validate(config);
  return config;
}

function validate(config: SimulatedClusterConfig): void {
  const problems: string[] = [];
  if (!Number.isFinite(config.seed)) problems.push('seed must be a finite number');
  if (!/^[A-Za-z0-9_-]+$/.test(config.clusterName))
    problems.push('clusterName must be a Slurm cluster name');
  if (config.nodeGroups.length === 0) problems.push('nodeGroups must not be empty');
  if (config.accounts.every((a) => a.users.length === 0))
    problems.push('accounts must hold at least one user');
  if (!(config.arrivalsPerHour >= 0)) problems.push('arrivalsPerHour must be >= 0');
  if (!(config.warmUpSeconds >= 0)) problems.push('warmUpSeconds must be >= 0');
  const partitions = new Set(config.partitions.map((p) => p.name));
  for (const group of config.nodeGroups) {
    if (group.gpus > 30) problems.push(`nodeGroups ${group.prefix}: at most 30 GPUs per node`);
    for (const p of group.partitions) {
      if (!partitions.has(p)) problems.push(`nodeGroups ${group.prefix}: unknown partition ${p}`);
    }
  }
  if (problems.length > 0)
    throw new RangeError(`invalid simulated cluster: ${problems.join('; ')}`);
}
