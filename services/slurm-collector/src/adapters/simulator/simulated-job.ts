/**
 * The simulator's own records of jobs and nodes: plain objects (no methods, no closures), small,
 * and read by the renderers that turn them into Slurm's JSON.
 */

export const SimJobState = {
  Pending: 'PENDING',
  Running: 'RUNNING',
  Completed: 'COMPLETED',
  Failed: 'FAILED',
  Cancelled: 'CANCELLED',
  Timeout: 'TIMEOUT',
  NodeFail: 'NODE_FAIL',
} as const;
export type SimJobState = (typeof SimJobState)[keyof typeof SimJobState];

/** Slurm's job_state_reason strings the simulator produces. */
export const SimReason = {
  None: 'None',
  Priority: 'Priority',
  Resources: 'Resources',
  Dependency: 'Dependency',
  DependencyNeverSatisfied: 'DependencyNeverSatisfied',
  JobHeldUser: 'JobHeldUser',
  BeginTime: 'BeginTime',
  JobArrayTaskLimit: 'JobArrayTaskLimit',
  NonZeroExitCode: 'NonZeroExitCode',
  RaisedSignal: 'RaisedSignal',
  TimeLimit: 'TimeLimit',
  NodeDown: 'NodeDown',
} as const;
export type SimReason = (typeof SimReason)[keyof typeof SimReason];

export type SimDependencyType = 'after' | 'afterany' | 'afterok' | 'afternotok' | 'singleton';

/**
 * `afterok` needs the job COMPLETED, `afternotok` ended any other way, `afterany` just ended,
 * `after` started; `singleton` waits for the user's earlier jobs of the same name.
 */
export interface SimDependency {
  readonly type: SimDependencyType;
  /** The job (or array) waited for; 0 for singleton. */
  readonly jobId: number;
  /** `failed` once the job ended the wrong way: the dependency can never be met. */
  state: 'unfulfilled' | 'failed';
}

/** The part of a node one job holds. */
export interface SimAllocation {
  readonly node: number;
  readonly cpus: number;
  readonly memoryMB: number;
  /** Core indices on the node (0 … cpus-1), for job_resources' socket/core map. */
  readonly cores: readonly number[];
  /** GPU indices on the node. */
  readonly gpus: readonly number[];
}

/** A run of a job that ended in a requeue: sacct keeps it as its own record. */
export interface SimJobLife {
  readonly state: 'REQUEUED' | 'NODE_FAIL';
  readonly eligibleTime: number;
  readonly startTime: number;
  readonly endTime: number;
  readonly allocations: readonly SimAllocation[];
  readonly exitCode: number;
}

export interface SimJob {
  readonly jobId: number;
  /** The array's id (the meta record's job id), or 0 for a job outside any array. */
  arrayJobId: number;
  /** This record's task, or null for a plain job and for an array's meta record. */
  arrayTaskId: number | null;
  /** For an array's meta record: its tasks that have not started yet, ascending. */
  pendingTasks: number[] | null;
  /** `--array=…%N`: at most N tasks running at once (0: no limit). */
  readonly arrayMaxRunning: number;

  readonly name: string;
  /** Index into the cluster's user table. */
  readonly user: number;
  readonly account: string;
  readonly partition: string;
  readonly qos: string;
  /** Total CPUs over all nodes. */
  readonly cpus: number;
  readonly nodeCount: number;
  /** Memory per node in MB, or per CPU when `memoryPerCpu`. */
  readonly memoryMB: number;
  readonly memoryPerCpu: boolean;
  readonly gpusPerNode: number;
  readonly gpuType: string | null;
  readonly constraint: string;
  readonly timeLimit: number;
  /** Whether `-c`/`--mem` were given (Slurm's JOB_CPUS_SET / JOB_MEM_SET flags). */
  readonly cpusSet: boolean;
  readonly memSet: boolean;
  readonly requeue: boolean;
  readonly workDir: string;
  readonly command: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly comment: string;

  /** Priority when not held (a held job prints 0). */
  basePriority: number;
  priority: number;
  state: SimJobState;
  reason: string;
  description: string;
  submitTime: number;
  eligibleTime: number;
  accrueTime: number;
  startTime: number;
  endTime: number;
  lastSchedEval: number;
  startedOnBackfill: boolean;

  held: boolean;
  beginTime: number;
  /** What this job still waits for; a satisfied dependency is dropped, as Slurm does. */
  dependencies: SimDependency[];

  allocations: SimAllocation[];
  /** Planned seconds of work for the current run, and the raw wait status if it ends on its own. */
  runtime: number;
  outcome: number;
  /** Raw wait status, as squeue prints it (exit 3 → 768, SIGKILL → 9). */
  exitCode: number;
  restartCnt: number;
  killRequestUser: string | null;
  /** Seconds into the first run at which the user cancels it / an admin requeues it (0: never). */
  cancelAfter: number;
  requeueAfter: number;
  /** Bumped at each start/requeue/end: a timed event for an older run is then ignored. */
  run: number;
  lives: SimJobLife[];
}

/** What a new job is made of; everything else starts as a fresh pending job. */
export type SimJobInit = Pick<
  SimJob,
  | 'jobId'
  | 'name'
  | 'user'
  | 'account'
  | 'partition'
  | 'qos'
  | 'cpus'
  | 'nodeCount'
  | 'memoryMB'
  | 'memoryPerCpu'
  | 'gpusPerNode'
  | 'gpuType'
  | 'constraint'
  | 'timeLimit'
  | 'cpusSet'
  | 'memSet'
  | 'requeue'
  | 'workDir'
  | 'command'
  | 'stdout'
  | 'stderr'
  | 'comment'
  | 'basePriority'
  | 'submitTime'
  | 'runtime'
  | 'outcome'
> &
  Partial<Pick<SimJob, 'arrayMaxRunning' | 'cancelAfter' | 'requeueAfter'>>;

/** A pending job as sbatch leaves it: eligible now, not yet looked at by the scheduler. */
export function newPendingJob(init: SimJobInit): SimJob {
  return {
    arrayJobId: 0,
    arrayTaskId: null,
    pendingTasks: null,
    arrayMaxRunning: 0,
    cancelAfter: 0,
    requeueAfter: 0,
    ...init,
    priority: init.basePriority,
    state: SimJobState.Pending,
    reason: SimReason.None,
    description: '',
    eligibleTime: init.submitTime,
    accrueTime: init.submitTime,
    startTime: 0,
    endTime: 0,
    lastSchedEval: init.submitTime,
    startedOnBackfill: false,
    held: false,
    beginTime: 0,
    dependencies: [],
    allocations: [],
    exitCode: 0,
    restartCnt: 0,
    killRequestUser: null,
    run: 0,
    lives: [],
  };
}

export interface SimNode {
  readonly name: string;
  readonly index: number;
  readonly sockets: number;
  readonly coresPerSocket: number;
  readonly cpus: number;
  readonly memoryMB: number;
  readonly gpus: number;
  readonly gpuType: string | null;
  readonly features: string;
  readonly partitions: readonly string[];

  allocCpus: number;
  allocMemoryMB: number;
  /** Bit i set: GPU i is allocated. */
  gpuMask: number;
  /** One byte per core: 1 when allocated. */
  readonly coreUsed: Uint8Array;
  runningJobs: number;

  down: boolean;
  notResponding: boolean;
  drain: boolean;
  reason: string;
  reasonSetBy: string | null;
  reasonChangedAt: number;
  bootTime: number;
  slurmdStartTime: number;
  lastBusy: number;
}

export interface SimUser {
  readonly name: string;
  readonly uid: number;
  readonly account: string;
  readonly group: string;
  readonly gid: number;
  readonly associationId: number;
}

export const FINAL_SIM_STATES: ReadonlySet<SimJobState> = new Set([
  SimJobState.Completed,
  SimJobState.Failed,
  SimJobState.Cancelled,
  SimJobState.Timeout,
  SimJobState.NodeFail,
]);

export function isEnded(job: SimJob): boolean {
  return FINAL_SIM_STATES.has(job.state);
}

/** Raw wait statuses as the kernel packs them (what squeue's exit_code holds). */
export const WaitStatus = {
  exited: (code: number): number => (code & 0xff) << 8,
  signaled: (signal: number): number => signal & 0x7f,
  exitCodeOf: (status: number): number => (status >> 8) & 0xff,
  signalOf: (status: number): number => status & 0x7f,
} as const;

export const SIGTERM = 15;
export const SIGKILL = 9;
