import { allocate, fits, type PerNodeRequest, perNodeRequest, release } from './node-allocation.js';
import { Prng } from './prng.js';
import { DEFAULT_ACCOUNTS, DEFAULT_START_TIME } from './simulated-cluster.config.js';
import {
  isEnded,
  newPendingJob,
  SIGTERM,
  type SimAllocation,
  type SimJob,
  SimJobState,
  type SimNode,
  SimReason,
  type SimUser,
  WaitStatus,
} from './simulated-job.js';
import { renderSinfoJson } from './sinfo-json.render.js';
import type { ClusterView } from './slurm-json.format.js';
import { renderSqueueJson } from './squeue-json.render.js';

/**
 * A large cluster state for benchmarks, built directly (not simulated: 100,000 jobs are placed in
 * one pass, in a second or two) and rendered by the same code as the simulated cluster. `mutate`
 * changes the state of exactly a given share of the jobs, so two consecutive bodies differ in
 * exactly those job records.
 *
 * Unlike the simulated cluster, the fixture keeps ended jobs in squeue's output however long ago
 * they ended: nothing but the mutated jobs may change between two bodies.
 */
export interface SnapshotFixtureOptions {
  readonly jobs: number;
  readonly nodes: number;
  readonly seed: number;
  readonly clusterName?: string;
  /** Virtual epoch seconds of the first snapshot. */
  readonly startTime?: number;
  /** Virtual seconds between two snapshots (default 5, a collector's queue interval). */
  readonly stepSeconds?: number;
}

export interface SnapshotFixture extends ClusterView {
  readonly jobCount: number;
  /** The virtual time of the current state as ISO 8601 (the `observedAt` of its outputs). */
  readonly observedAt: string;
  /** `squeue --json` of the current state. */
  squeueJson(): string;
  /** `sinfo --json` of the current state. */
  sinfoJson(): string;
  /**
   * Moves the clock one step and changes the state of exactly `round(jobs × fraction)` distinct
   * queued or running jobs (default 1%): running jobs end, pending ones start or are cancelled.
   * Returns the ids of the changed jobs.
   */
  mutate(fraction?: number): number[];
}

export function createSnapshotFixture(options: SnapshotFixtureOptions): SnapshotFixture {
  return new SnapshotFixtureCluster(options);
}

const GPU_NODE_SHARE = 0.2;
const CPU_CHOICES = [1, 1, 1, 2, 2, 4, 4, 8, 16];
const NAMES = [
  'train',
  'align',
  'wrf',
  'lattice',
  'nbody',
  'eval',
  'fold',
  'regrid',
  'mc-events',
  'hydro',
];

class SnapshotFixtureCluster implements SnapshotFixture {
  readonly clusterName: string;
  readonly nodes: SimNode[];
  readonly users: SimUser[];
  readonly minJobAgeSeconds = Number.MAX_SAFE_INTEGER;
  readonly #jobs: SimJob[] = [];
  readonly #prng: Prng;
  readonly #step: number;
  readonly #cpuNodes: number[] = [];
  readonly #gpuNodes: number[] = [];
  readonly #cursor = { cpu: 0, gpu: 0 };
  #now: number;

  constructor(options: SnapshotFixtureOptions) {
    if (!Number.isInteger(options.jobs) || options.jobs < 1)
      throw new RangeError('jobs must be a positive integer');
    if (!Number.isInteger(options.nodes) || options.nodes < 2)
      throw new RangeError('nodes must be an integer >= 2');
    this.clusterName = options.clusterName ?? 'simulated';
    this.#prng = new Prng(options.seed);
    this.#now = options.startTime ?? DEFAULT_START_TIME;
    this.#step = options.stepSeconds ?? 5;
    this.users = DEFAULT_ACCOUNTS.flatMap((a, ai) =>
      a.users.map((name) => ({
        name,
        uid: 0,
        account: a.name,
        group: a.name,
        gid: 3_001 + ai,
        associationId: 0,
      })),
    ).map((u, i) => ({ ...u, uid: 20_001 + i, associationId: 10 + i }));
    this.nodes = this.#buildNodes(options.nodes);
    this.#buildJobs(options.jobs);
  }

  get now(): number {
    return this.#now;
  }

  get jobCount(): number {
    return this.#jobs.length;
  }

  get observedAt(): string {
    return new Date(this.#now * 1000).toISOString();
  }

  jobs(): Iterable<SimJob> {
    return this.#jobs;
  }

  squeueJson(): string {
    return renderSqueueJson(this);
  }

  sinfoJson(): string {
    return renderSinfoJson(this);
  }

  mutate(fraction = 0.01): number[] {
    const count = Math.round(this.#jobs.length * fraction);
    const candidates = this.#jobs.filter((j) => !isEnded(j));
    if (count > candidates.length) {
      throw new RangeError(
        `cannot change ${count} jobs: only ${candidates.length} are queued or running`,
      );
    }
    this.#now += this.#step;
    // A partial Fisher–Yates shuffle: `count` distinct jobs, uniformly.
    const changed: number[] = [];
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.#prng.next() * (candidates.length - i));
      const job = candidates[j]!;
      candidates[j] = candidates[i]!;
      candidates[i] = job;
      this.#change(job);
      changed.push(job.jobId);
    }
    return changed;
  }

  #change(job: SimJob): void {
    if (job.state === SimJobState.Running) {
      const r = this.#prng.next();
      for (const a of job.allocations) release(this.nodes[a.node]!, a);
      job.endTime = this.#now;
      if (r < 0.7) this.#end(job, SimJobState.Completed, 0, SimReason.None);
      else if (r < 0.85)
        this.#end(job, SimJobState.Failed, WaitStatus.exited(1), SimReason.NonZeroExitCode);
      else if (r < 0.95)
        this.#end(job, SimJobState.Timeout, WaitStatus.signaled(SIGTERM), SimReason.TimeLimit);
      else this.#end(job, SimJobState.Cancelled, WaitStatus.signaled(SIGTERM), SimReason.None);
      return;
    }
    const startable =
      job.pendingTasks === null &&
      (job.reason === SimReason.Priority || job.reason === SimReason.Resources);
    if (startable && this.#place(job)) return;
    job.startTime = this.#now;
    job.endTime = this.#now;
    job.killRequestUser = this.users[job.user]!.name;
    job.state = SimJobState.Cancelled;
  }

  #end(job: SimJob, state: SimJobState, exitCode: number, reason: string): void {
    job.state = state;
    job.exitCode = exitCode;
    job.reason = reason;
  }

  /** Next fit from a rolling cursor: placement stays about linear in the number of jobs. */
  #place(job: SimJob): boolean {
    const request = perNodeRequest(job);
    const key = job.gpusPerNode > 0 ? 'gpu' : 'cpu';
    const pool = key === 'gpu' ? this.#gpuNodes : this.#cpuNodes;
    const chosen: number[] = [];
    let position = this.#cursor[key];
    for (let tried = 0; tried < pool.length && chosen.length < job.nodeCount; tried++) {
      position = (this.#cursor[key] + tried) % pool.length;
      const node = this.nodes[pool[position]!]!;
      if (!node.drain && !node.down && fits(node, request)) chosen.push(node.index);
    }
    if (chosen.length < job.nodeCount) return false;
    this.#cursor[key] = position;
    this.#run(job, chosen, request);
    return true;
  }

  #run(job: SimJob, chosen: readonly number[], request: PerNodeRequest): void {
    job.allocations = chosen.map((i) => allocate(this.nodes[i]!, request));
    job.state = SimJobState.Running;
    job.reason = SimReason.None;
    job.startTime = this.#now;
    job.endTime = this.#now + job.timeLimit * 60;
  }

  #buildNodes(count: number): SimNode[] {
    const gpuCount = Math.max(1, Math.round(count * GPU_NODE_SHARE));
    const cpuCount = count - gpuCount;
    const nodes: SimNode[] = [];
    const add = (prefix: string, n: number, gpus: number): void => {
      const digits = String(n).length;
      for (let i = 1; i <= n; i++) {
        const index = nodes.length;
        (gpus > 0 ? this.#gpuNodes : this.#cpuNodes).push(index);
        nodes.push({
          name: prefix + String(i).padStart(digits, '0'),
          index,
          sockets: 2,
          coresPerSocket: 32,
          cpus: 64,
          memoryMB: gpus > 0 ? 515_000 : 257_000,
          gpus,
          gpuType: gpus > 0 ? 'a100' : null,
          features: gpus > 0 ? 'gpu,a100' : 'cpu,icelake',
          partitions: gpus > 0 ? ['gpu'] : ['cpu'],
          allocCpus: 0,
          allocMemoryMB: 0,
          gpuMask: 0,
          coreUsed: new Uint8Array(64),
          runningJobs: 0,
          down: false,
          notResponding: false,
          drain: false,
          reason: '',
          reasonSetBy: null,
          reasonChangedAt: 0,
          bootTime: this.#now - 86_400 * (3 + (index % 20)),
          slurmdStartTime: this.#now - 86_400 * (3 + (index % 20)) + 45,
          lastBusy: this.#now,
        });
      }
    };
    add('c', cpuCount, 0);
    add('g', gpuCount, 4);
    // A few drained and failed nodes, as any large cluster has.
    for (let i = 0; i < Math.ceil(count / 500); i++) {
      const node = nodes[this.#prng.int(0, nodes.length - 1)]!;
      node.drain = true;
      node.reason = 'hardware: correctable memory errors';
      node.reasonSetBy = 'root';
      node.reasonChangedAt = this.#now - 3600;
    }
    return nodes;
  }

  #buildJobs(count: number): void {
    const prng = this.#prng;
    let nextId = 5_000_000;
    while (this.#jobs.length < count) {
      const user = prng.int(0, this.users.length - 1);
      const gpu = prng.chance(0.05);
      const cpus = gpu ? 8 : prng.pick(CPU_CHOICES);
      const name = prng.pick(NAMES);
      const timeLimit = prng.pick([30, 60, 120, 240, 480, 1440]);
      const u = this.users[user]!;
      const job = newPendingJob({
        jobId: nextId++,
        name,
        user,
        account: u.account,
        partition: gpu ? 'gpu' : 'cpu',
        qos: 'normal',
        cpus,
        nodeCount: 1,
        memoryMB: gpu ? 65_536 : 2_000,
        memoryPerCpu: !gpu,
        gpusPerNode: gpu ? prng.int(1, 2) : 0,
        gpuType: gpu ? 'a100' : null,
        constraint: '',
        timeLimit,
        cpusSet: cpus > 1,
        memSet: gpu,
        requeue: true,
        workDir: `/scratch/${u.name}/${name}`,
        command: `/scratch/${u.name}/${name}/${name}.sbatch`,
        stdout: `/scratch/${u.name}/${name}/logs/%x-%j.out`,
        stderr: '',
        comment: '',
        basePriority: 10_000 + prng.int(0, 4999),
        submitTime: this.#now - prng.int(60, 6 * 3600),
        runtime: 0,
        outcome: 0,
      });
      job.lastSchedEval = this.#now - prng.int(0, 30);
      this.#jobs.push(job);
      const r = prng.next();
      if (r < 0.55 && this.#place(job)) {
        job.startTime = job.submitTime + prng.int(1, 600);
        job.endTime = job.startTime + timeLimit * 60;
      } else if (r < 0.65) {
        this.#endedJob(job);
      } else if (r < 0.67 && this.#jobs.length + 12 <= count) {
        this.#addArray(job, () => nextId++);
      } else {
        this.#pendingJob(job, r);
      }
    }
  }

  /** A job that ran and ended in the last few minutes, still in the controller's list. */
  #endedJob(job: SimJob): void {
    const prng = this.#prng;
    const node = this.nodes[prng.int(0, this.nodes.length - 1)]!;
    const request = perNodeRequest(job);
    const cores = Array.from({ length: Math.min(request.cpus, node.cpus) }, (_, i) => i);
    const gpus = Array.from({ length: Math.min(request.gpus, node.gpus) }, (_, i) => i);
    const allocation: SimAllocation = {
      node: node.index,
      cpus: request.cpus,
      memoryMB: request.memoryMB,
      cores,
      gpus,
    };
    job.allocations = [allocation];
    job.startTime = job.submitTime + prng.int(1, 600);
    job.endTime = this.#now - prng.int(1, 280);
    job.startTime = Math.min(job.startTime, job.endTime - 1);
    const r = prng.next();
    if (r < 0.75) this.#end(job, SimJobState.Completed, 0, SimReason.None);
    else if (r < 0.9)
      this.#end(
        job,
        SimJobState.Failed,
        WaitStatus.exited(prng.pick([1, 2, 127])),
        SimReason.NonZeroExitCode,
      );
    else this.#end(job, SimJobState.Timeout, WaitStatus.signaled(SIGTERM), SimReason.TimeLimit);
  }

  #pendingJob(job: SimJob, r: number): void {
    const kind = Math.floor(r * 1000) % 20;
    if (kind === 0) {
      job.held = true;
      job.priority = 0;
      job.reason = SimReason.JobHeldUser;
      job.eligibleTime = 0;
      job.accrueTime = 0;
    } else if (kind === 1) {
      // Far enough ahead that no step of the fixture's clock reaches it.
      job.beginTime = this.#now + 86_400 + (job.jobId % 3600);
      job.eligibleTime = job.beginTime;
      job.accrueTime = job.beginTime;
      job.reason = SimReason.BeginTime;
    } else if (kind === 2 && this.#jobs.length > 1) {
      const dep = this.#jobs[this.#jobs.length - 2]!;
      job.dependencies = [{ type: 'afterok', jobId: dep.jobId, state: 'unfulfilled' }];
      job.eligibleTime = 0;
      job.accrueTime = 0;
      job.reason = SimReason.Dependency;
    } else {
      job.reason = kind === 3 ? SimReason.Resources : SimReason.Priority;
    }
  }

  /** An array `--array=1-10`: eight tasks running with their own ids, the meta record holding 9-10. */
  #addArray(meta: SimJob, nextId: () => number): void {
    meta.arrayJobId = meta.jobId;
    meta.pendingTasks = [9, 10];
    meta.reason = SimReason.Resources;
    for (let task = 1; task <= 8; task++) {
      const record: SimJob = {
        ...meta,
        jobId: nextId(),
        arrayTaskId: task,
        pendingTasks: null,
        allocations: [],
        lives: [],
      };
      this.#jobs.push(record);
      if (!this.#place(record)) record.reason = SimReason.Priority;
      else record.startTime = record.submitTime + task;
    }
  }
}
