import {
  buildNodes,
  buildPartitions,
  buildUsers,
  pickDrain,
  type SimPartitionState,
  SUBMIT_USER,
} from './cluster-topology.js';
import { judgeDependency, type ParsedDependency } from './dependencies.js';
import { JobTable } from './job-table.js';
import { allocate, couldEverHold, perNodeRequest, release } from './node-allocation.js';
import { type SchedulerHost, schedulePass } from './scheduler.js';
import { Prng } from './prng.js';
import { type SimulatedClusterConfig, simulatedClusterConfig } from './simulated-cluster.config.js';
import {
  isEnded,
  newPendingJob,
  SIGTERM,
  type SimDependencyType,
  type SimJob,
  type SimJobInit,
  SimJobState,
  type SimNode,
  SimReason,
  type SimUser,
  WaitStatus,
} from './simulated-job.js';
import {
  SimulatedCommandRejectedError,
  SimulatedJobNotFoundError,
  SimulatedNodeNotFoundError,
} from './simulator.errors.js';
import { planSubmit, signalEndsJob, type SimSubmitRequest } from './submit-request.js';
import { SimEventKind, type SimEvent, TimedEvents } from './timed-events.js';
import { drawArrival, drawRun, type WorkloadContext, workloadContext } from './workload.js';

/** A requeued job may start again this long after the requeue (measured on the lab: 121 s). */
export const REQUEUE_DELAY_SECONDS = 121;
const PENDING_CANCEL = -1;

/**
 * A Slurm cluster in memory: nodes, partitions, users, and a workload that arrives, queues, runs
 * and ends. Pure: no I/O and no wall clock. Time moves only through `advance`, randomness only
 * through the seeded Prng, so one seed and one sequence of calls give one history.
 */
export class SimulatedCluster {
  readonly config: SimulatedClusterConfig;
  readonly nodes: readonly SimNode[];
  readonly users: readonly SimUser[];
  readonly partitions: readonly SimPartitionState[];

  readonly #prng: Prng;
  readonly #events = new TimedEvents();
  readonly #jobs: JobTable;
  readonly #running = new Set<SimJob>();
  readonly #partitionByName: ReadonlyMap<string, SimPartitionState>;
  readonly #nodeByName: ReadonlyMap<string, SimNode>;
  readonly #workload: WorkloadContext;
  readonly #schedulerHost: SchedulerHost;
  #pending: SimJob[] = [];
  #now: number;
  #dirty = false;

  constructor(config: SimulatedClusterConfig = simulatedClusterConfig()) {
    this.config = config;
    this.#prng = new Prng(config.seed);
    this.#now = Math.floor(config.startTime);
    this.#jobs = new JobTable(config.firstJobId, config.maxRetainedEndedJobs);
    this.nodes = buildNodes(config, this.#prng, this.#now);
    this.#nodeByName = new Map(this.nodes.map((n) => [n.name, n]));
    this.partitions = buildPartitions(config, this.nodes);
    this.#partitionByName = new Map(this.partitions.map((p) => [p.name, p]));
    this.users = buildUsers(config);
    this.#workload = workloadContext(config, this.users, this.nodes, this.#prng);
    this.#schedulerHost = {
      nodes: this.nodes,
      partition: (name) => this.#partitionByName.get(name),
      arrayTasks: (id) => this.#jobs.tasksOf(id),
      dependenciesMet: (job) => this.#dependencySatisfied(job),
      nextToStart: (job) => this.#splitTask(job),
      start: (job, placement, backfill) => this.#start(job, placement, backfill),
    };
    this.#seedIncidents();
    this.#planArrival();
    this.#planIncident();
    if (config.warmUpSeconds > 0) this.advance(config.warmUpSeconds);
  }

  /** Virtual time, epoch seconds. */
  get now(): number {
    return this.#now;
  }

  get clusterName(): string {
    return this.config.clusterName;
  }

  get minJobAgeSeconds(): number {
    return this.config.minJobAgeSeconds;
  }

  /** Every job the cluster still knows (queued, running, and ended ones kept for accounting), by id. */
  jobs(): IterableIterator<SimJob> {
    return this.#jobs.values();
  }

  job(jobId: number): SimJob | undefined {
    return this.#jobs.get(jobId);
  }

  get jobCount(): number {
    return this.#jobs.size;
  }

  node(name: string): SimNode | undefined {
    return this.#nodeByName.get(name);
  }

  userOf(job: SimJob): SimUser {
    return this.users[job.user] ?? this.users[0]!;
  }

  /** Moves virtual time forward by whole seconds, applying everything due on the way. */
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new RangeError(`advance: seconds must be >= 0, got ${seconds}`);
    const target = this.#now + Math.floor(seconds);
    for (;;) {
      // The scheduler looks at the state of a second once everything of that second happened,
      // before time moves on; what it starts may plan events that are due before `target`.
      if (this.#dirty) this.#schedule();
      const next = this.#events.nextAt();
      if (next === undefined || next > target) break;
      this.#now = Math.max(this.#now, next);
      for (
        let event = this.#events.popDue(this.#now);
        event !== undefined;
        event = this.#events.popDue(this.#now)
      ) {
        this.#apply(event);
      }
    }
    this.#now = target;
  }

  /** sbatch: the job is queued now and first looked at by the scheduler at the next `advance`. */
  submit(request: SimSubmitRequest = {}): SimJob {
    const plan = planSubmit(request, {
      users: this.users,
      partitions: this.partitions,
      submitUser: SUBMIT_USER,
      now: this.#now,
      drawnRuntime: this.#prng.int(2, 8),
    });
    const partition = this.#partitionByName.get(plan.init.partition)!;
    if (!this.#canEverRun(plan.init, partition)) {
      throw new SimulatedCommandRejectedError(
        'sbatch',
        'Requested node configuration is not available',
      );
    }
    const dependencies = plan.dependencies.map((d) => ({
      type: d.type,
      jobId: this.#resolveDependency(d),
    }));
    const job = this.#enqueue(plan.init);
    if (plan.array !== undefined) {
      job.arrayJobId = job.jobId;
      job.pendingTasks = plan.array.tasks;
    }
    if (plan.hold) this.#hold(job);
    if (plan.beginTime > this.#now) this.#beginLater(job, plan.beginTime);
    if (dependencies.length > 0) this.#dependOn(job, dependencies);
    this.#dirty = true;
    return job;
  }

  /**
   * scancel: `ID` (a job, or a whole array by its id), or `ID_TASK`. A job that already ended is
   * left as it is (a retried cancel has no second effect); a signal that does not end a job is
   * delivered and changes nothing the controller shows.
   */
  cancel(jobRef: string, options: { readonly signal?: string; readonly user?: string } = {}): void {
    const match = /^(\d+)(?:_(\d+))?$/.exec(jobRef.trim());
    if (!match) throw new SimulatedJobNotFoundError(jobRef);
    const jobId = Number(match[1]);
    const job = this.#jobs.get(jobId);
    if (job === undefined) throw new SimulatedJobNotFoundError(jobRef);
    if (!signalEndsJob(options.signal)) return;
    const by = options.user ?? SUBMIT_USER;
    if (match[2] !== undefined) {
      this.#cancelTask(job, Number(match[2]), by, jobRef);
    } else if (job.arrayJobId === job.jobId) {
      for (const task of this.#jobs.tasksOf(job.jobId)) this.#cancelJob(task, by);
      this.#cancelJob(job, by);
    } else {
      this.#cancelJob(job, by);
    }
    this.#dirty = true;
  }

  /** scontrol update nodename=X state=drain reason=… : running jobs go on, nothing new starts. */
  drainNode(name: string, reason: string, by = 'root'): void {
    const node = this.#node(name);
    node.drain = true;
    node.reason = reason;
    node.reasonSetBy = by;
    node.reasonChangedAt = this.#now;
    this.#dirty = true;
  }

  /** The node stops responding: DOWN + NOT_RESPONDING; its jobs are requeued or end in NODE_FAIL. */
  failNode(name: string): void {
    const node = this.#node(name);
    node.down = true;
    node.notResponding = true;
    node.reason = 'Not responding';
    node.reasonSetBy = 'slurm';
    node.reasonChangedAt = this.#now;
    for (const job of [...this.#running]) {
      if (!job.allocations.some((a) => a.node === node.index)) continue;
      if (job.requeue) this.#requeue(job, 'NODE_FAIL');
      else this.#finish(job, SimJobState.NodeFail, WaitStatus.exited(1), SimReason.NodeDown);
    }
    this.#dirty = true;
  }

  /** scontrol update nodename=X state=resume (or the node came back and registered). */
  resumeNode(name: string): void {
    const node = this.#node(name);
    if (node.down) {
      node.bootTime = this.#now - 90;
      node.slurmdStartTime = this.#now - 30;
    }
    node.down = false;
    node.notResponding = false;
    node.drain = false;
    node.reason = '';
    node.reasonSetBy = null;
    node.reasonChangedAt = 0;
    this.#dirty = true;
  }

  /** Tasks of an array that have their own record (split off the meta record), by array id. */
  arrayTasks(arrayJobId: number): readonly SimJob[] {
    return this.#jobs.tasksOf(arrayJobId);
  }

  // --- events -------------------------------------------------------------------------------

  #apply(event: SimEvent): void {
    this.#dirty = true;
    const job = this.#jobs.get(event.target);
    switch (event.kind) {
      case SimEventKind.Arrival:
        this.#arrive();
        this.#planArrival();
        return;
      case SimEventKind.JobEnd:
        if (job?.state === SimJobState.Running && job.run === event.run) this.#endRun(job);
        return;
      case SimEventKind.UserCancel:
        if (job === undefined) return;
        if (
          event.run === PENDING_CANCEL
            ? job.state === SimJobState.Pending
            : job.state === SimJobState.Running && job.run === event.run
        ) {
          if (job.arrayJobId === job.jobId && job.pendingTasks !== null) {
            for (const task of this.#jobs.tasksOf(job.jobId))
              this.#cancelJob(task, this.userOf(job).name);
          }
          this.#cancelJob(job, this.userOf(job).name);
        }
        return;
      case SimEventKind.Release:
        if (job?.held === true && job.state === SimJobState.Pending) {
          job.held = false;
          job.priority = job.basePriority;
        }
        return;
      case SimEventKind.AdminRequeue:
        if (job?.state === SimJobState.Running && job.run === event.run)
          this.#requeue(job, 'REQUEUED');
        return;
      case SimEventKind.NodeIncident:
        this.#incident();
        this.#planIncident();
        return;
      case SimEventKind.NodeResume: {
        const node = this.nodes[event.target];
        if (node !== undefined && (node.down || node.drain)) this.resumeNode(node.name);
        return;
      }
      case SimEventKind.Wake:
        return;
    }
  }

  #planArrival(): void {
    if (this.config.arrivalsPerHour <= 0) return;
    this.#events.push(
      this.#now + Math.ceil(this.#prng.exponential(3600 / this.config.arrivalsPerHour)),
      SimEventKind.Arrival,
      0,
    );
  }

  #planIncident(): void {
    const perDay = this.config.incidents.drainsPerDay + this.config.incidents.failuresPerDay;
    if (perDay <= 0) return;
    this.#events.push(
      this.#now + Math.ceil(this.#prng.exponential(86_400 / perDay)),
      SimEventKind.NodeIncident,
      0,
    );
  }

  #arrive(): void {
    const arrival = drawArrival(this.#prng, this.#workload);
    const init: SimJobInit = { ...arrival.init, jobId: 0, submitTime: this.#now };
    const partition = this.#partitionByName.get(init.partition);
    // A request no node of a custom-shaped cluster could ever hold is one sbatch would refuse.
    if (partition === undefined || !this.#canEverRun(init, partition)) return;
    const job = this.#enqueue(init);
    if (arrival.arraySize > 0) {
      job.arrayJobId = job.jobId;
      job.pendingTasks = Array.from({ length: arrival.arraySize }, (_, i) => i + 1);
    }
    if (arrival.held) {
      this.#hold(job);
      this.#events.push(
        this.#now + 60 + Math.ceil(this.#prng.exponential(1800)),
        SimEventKind.Release,
        job.jobId,
      );
    }
    if (arrival.beginAfter > 0) this.#beginLater(job, this.#now + arrival.beginAfter);
    if (arrival.wantsDependency) {
      const target = this.#jobs
        .recentOf(job.user)
        .find((j) => j.jobId !== job.jobId && !isEnded(j));
      if (target !== undefined) this.#dependOn(job, [{ type: 'afterok', jobId: target.jobId }]);
    }
    if (arrival.cancelPendingAfter > 0) {
      this.#events.push(
        this.#now + arrival.cancelPendingAfter,
        SimEventKind.UserCancel,
        job.jobId,
        PENDING_CANCEL,
      );
    }
  }

  #enqueue(init: SimJobInit): SimJob {
    const job = newPendingJob({ ...init, jobId: this.#jobs.nextId() });
    this.#jobs.add(job);
    this.#pending.push(job);
    return job;
  }

  #hold(job: SimJob): void {
    job.held = true;
    job.priority = 0;
    job.reason = SimReason.JobHeldUser;
    job.eligibleTime = 0;
    job.accrueTime = 0;
  }

  #beginLater(job: SimJob, at: number): void {
    job.beginTime = at;
    job.eligibleTime = at;
    job.accrueTime = at;
    if (!job.held) job.reason = SimReason.BeginTime;
    this.#events.push(at, SimEventKind.Wake, job.jobId);
  }

  /** The record a dependency waits on: `ID_TASK` resolves to the task's own record once it has one. */
  #resolveDependency(d: ParsedDependency): number {
    if (d.type === 'singleton') return 0;
    const job = this.#jobs.get(d.jobId);
    if (job === undefined)
      throw new SimulatedCommandRejectedError('sbatch', 'Job dependency problem');
    if (d.taskId === null) return job.jobId;
    const task = [job, ...this.arrayTasks(job.jobId)].find(
      (t) => t.arrayJobId === job.jobId && t.arrayTaskId === d.taskId,
    );
    if (task !== undefined) return task.jobId;
    if (job.pendingTasks?.includes(d.taskId) === true) return job.jobId;
    throw new SimulatedCommandRejectedError('sbatch', 'Job dependency problem');
  }

  #dependOn(
    job: SimJob,
    dependencies: readonly { readonly type: SimDependencyType; readonly jobId: number }[],
  ): void {
    job.dependencies = dependencies.map((d) => ({ ...d, state: 'unfulfilled' }));
    job.eligibleTime = 0;
    job.accrueTime = 0;
    if (!job.held) job.reason = SimReason.Dependency;
  }

  // --- the scheduler ------------------------------------------------------------------------

  #schedule(): void {
    this.#dirty = false;
    schedulePass(this.#schedulerHost, this.#pending, this.#now);
    this.#pending = this.#pending.filter((j) => j.state === SimJobState.Pending);
  }

  #dependencySatisfied(job: SimJob): boolean {
    if (job.dependencies.length === 0) return true;
    const verdicts = job.dependencies.map((d) => judgeDependency(d, job, this));
    if (verdicts.includes('never')) {
      job.dependencies.forEach((d, i) => {
        if (verdicts[i] === 'never') d.state = 'failed';
      });
      if (job.reason !== SimReason.DependencyNeverSatisfied) {
        // The user notices sooner or later and cancels it; Slurm itself would keep it forever.
        this.#events.push(
          this.#now + 300 + Math.ceil(this.#prng.exponential(3600)),
          SimEventKind.UserCancel,
          job.jobId,
          PENDING_CANCEL,
        );
      }
      job.reason = SimReason.DependencyNeverSatisfied;
      return false;
    }
    // Met dependencies leave the list: squeue then prints only what is still awaited.
    job.dependencies = job.dependencies.filter((_, i) => verdicts[i] !== 'met');
    if (job.dependencies.length > 0) {
      job.reason = SimReason.Dependency;
      return false;
    }
    return true;
  }

  /** The next pending task of an array gets its own record; the last one takes over the meta record. */
  #splitTask(meta: SimJob): SimJob {
    if (meta.pendingTasks === null) return meta;
    const pending = meta.pendingTasks ?? [];
    const taskId = pending.shift() ?? 0;
    const run = drawRun(this.#prng, this.config.outcomes, meta.timeLimit * 60);
    if (pending.length === 0) {
      meta.pendingTasks = null;
      meta.arrayTaskId = taskId;
      meta.runtime = run.runtime;
      meta.outcome = run.outcome;
      return meta;
    }
    const task: SimJob = {
      ...meta,
      jobId: this.#jobs.nextId(),
      arrayTaskId: taskId,
      pendingTasks: null,
      runtime: run.runtime,
      outcome: run.outcome,
      allocations: [],
      lives: [],
      cancelAfter: 0,
      requeueAfter: 0,
    };
    this.#jobs.addTask(meta.jobId, task);
    return task;
  }

  #start(job: SimJob, placement: readonly number[], backfill: boolean): void {
    const request = perNodeRequest(job);
    job.allocations = placement.map((i) => allocate(this.nodes[i]!, request));
    job.state = SimJobState.Running;
    job.reason = SimReason.None;
    job.description = '';
    job.startTime = this.#now;
    job.endTime = this.#now + job.timeLimit * 60;
    job.startedOnBackfill = backfill;
    job.run += 1;
    this.#running.add(job);
    const limit = job.timeLimit * 60;
    // Slurm notices an overrun on its next time-limit check and then waits KillWait.
    const endAt =
      job.runtime > limit ? this.#now + limit + this.#prng.int(5, 45) : this.#now + job.runtime;
    this.#events.push(endAt, SimEventKind.JobEnd, job.jobId, job.run);
    const lastsUntil = Math.min(job.runtime, limit);
    if (job.restartCnt === 0 && job.cancelAfter > 0 && job.cancelAfter < lastsUntil) {
      this.#events.push(this.#now + job.cancelAfter, SimEventKind.UserCancel, job.jobId, job.run);
    }
    if (job.restartCnt === 0 && job.requeueAfter > 0 && job.requeueAfter < lastsUntil) {
      this.#events.push(
        this.#now + job.requeueAfter,
        SimEventKind.AdminRequeue,
        job.jobId,
        job.run,
      );
    }
  }

  // --- ends ---------------------------------------------------------------------------------

  #endRun(job: SimJob): void {
    if (job.runtime > job.timeLimit * 60) {
      this.#finish(job, SimJobState.Timeout, WaitStatus.signaled(SIGTERM), SimReason.TimeLimit);
    } else if (job.outcome === 0) {
      this.#finish(job, SimJobState.Completed, 0, SimReason.None);
    } else if (WaitStatus.signalOf(job.outcome) !== 0) {
      this.#finish(job, SimJobState.Failed, job.outcome, SimReason.RaisedSignal);
    } else {
      this.#finish(job, SimJobState.Failed, job.outcome, SimReason.NonZeroExitCode);
    }
  }

  #finish(job: SimJob, state: SimJobState, exitCode: number, reason: string): void {
    this.#releaseNodes(job);
    job.state = state;
    job.exitCode = exitCode;
    job.reason = reason;
    job.endTime = this.#now;
    job.run += 1;
    this.#running.delete(job);
    this.#jobs.ended(job);
  }

  #cancelJob(job: SimJob, by: string): void {
    if (job.state === SimJobState.Running) {
      this.#releaseNodes(job);
      this.#running.delete(job);
      job.exitCode = WaitStatus.signaled(SIGTERM);
    } else if (job.state === SimJobState.Pending) {
      // A job cancelled while pending keeps its last pending reason (as squeue shows it).
      job.startTime = this.#now;
      job.exitCode = 0;
    } else {
      return;
    }
    job.state = SimJobState.Cancelled;
    job.endTime = this.#now;
    job.killRequestUser = by;
    job.run += 1;
    this.#jobs.ended(job);
  }

  #cancelTask(meta: SimJob, taskId: number, by: string, jobRef: string): void {
    const own = [meta, ...this.arrayTasks(meta.jobId)].find(
      (t) => t.arrayJobId === meta.jobId && t.arrayTaskId === taskId,
    );
    if (own !== undefined) {
      this.#cancelJob(own, by);
      return;
    }
    const index = meta.pendingTasks?.indexOf(taskId) ?? -1;
    if (meta.arrayJobId !== meta.jobId || meta.state !== SimJobState.Pending || index < 0) {
      throw new SimulatedJobNotFoundError(jobRef);
    }
    // Slurm splits a cancelled pending task off into a record of its own; the meta record keeps the rest.
    meta.pendingTasks?.splice(index, 1);
    meta.pendingTasks?.unshift(taskId);
    const task = this.#splitTask(meta);
    this.#pending.push(task);
    this.#cancelJob(task, by);
  }

  #requeue(job: SimJob, state: 'REQUEUED' | 'NODE_FAIL'): void {
    job.lives.push({
      state,
      eligibleTime: job.eligibleTime,
      startTime: job.startTime,
      endTime: this.#now,
      allocations: job.allocations,
      exitCode: state === 'NODE_FAIL' ? WaitStatus.exited(1) : 0,
    });
    this.#releaseNodes(job);
    this.#running.delete(job);
    job.allocations = [];
    job.state = SimJobState.Pending;
    job.restartCnt += 1;
    job.run += 1;
    job.startTime = 0;
    job.endTime = 0;
    job.exitCode = 0;
    this.#pending.push(job);
    this.#beginLater(job, this.#now + REQUEUE_DELAY_SECONDS);
  }

  #releaseNodes(job: SimJob): void {
    for (const allocation of job.allocations) {
      const node = this.nodes[allocation.node]!;
      release(node, allocation);
      if (node.allocCpus === 0) node.lastBusy = this.#now;
    }
  }

  // --- nodes --------------------------------------------------------------------------------

  #node(name: string): SimNode {
    const node = this.#nodeByName.get(name);
    if (node === undefined) throw new SimulatedNodeNotFoundError(name);
    return node;
  }

  /** A newcomer should see a drained node at once: one starts drained since earlier that day. */
  #seedIncidents(): void {
    if (this.nodes.length < 2 || this.config.incidents.drainsPerDay <= 0) return;
    const node = this.nodes[this.#prng.int(0, this.nodes.length - 1)]!;
    const drain = pickDrain(this.#prng, node);
    this.drainNode(node.name, drain.reason, drain.by);
    node.reasonChangedAt = this.#now - this.#prng.int(600, 8 * 3600);
    this.#events.push(
      this.#now +
        this.config.warmUpSeconds +
        Math.ceil(this.#prng.exponential(this.config.incidents.meanRepairSeconds)),
      SimEventKind.NodeResume,
      node.index,
    );
  }

  #incident(): void {
    const { drainsPerDay, failuresPerDay, meanRepairSeconds } = this.config.incidents;
    const node = this.nodes[this.#prng.int(0, this.nodes.length - 1)]!;
    const fail = this.#prng.chance(failuresPerDay / (drainsPerDay + failuresPerDay));
    const repairAt = this.#now + 300 + Math.ceil(this.#prng.exponential(meanRepairSeconds));
    if (node.down || node.drain) return;
    if (fail) {
      this.failNode(node.name);
    } else {
      const drain = pickDrain(this.#prng, node);
      this.drainNode(node.name, drain.reason, drain.by);
    }
    this.#events.push(repairAt, SimEventKind.NodeResume, node.index);
  }

  #canEverRun(init: SimJobInit, partition: SimPartitionState): boolean {
    const request = perNodeRequest(newPendingJob(init));
    const filter = {
      count: init.nodeCount,
      gpuType: init.gpuType,
      constraint: init.constraint,
      reserved: null,
    };
    return (
      partition.nodes.filter((i) => couldEverHold(this.nodes[i]!, request, filter)).length >=
      init.nodeCount
    );
  }
}
