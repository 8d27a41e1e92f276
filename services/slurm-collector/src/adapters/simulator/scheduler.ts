import type { SimPartitionState } from './cluster-topology.js';
import { couldEverHold, firstFit, isSchedulable, perNodeRequest } from './node-allocation.js';
import { type SimJob, SimJobState, type SimNode, SimReason } from './simulated-job.js';

/** What the scheduler needs from the cluster: where jobs may go, and how one starts. */
export interface SchedulerHost {
  readonly nodes: readonly SimNode[];
  partition(name: string): SimPartitionState | undefined;
  /** Tasks split off an array so far. */
  arrayTasks(arrayJobId: number): readonly SimJob[];
  /** Whether the job's dependencies are met; sets its reason when they are not. */
  dependenciesMet(job: SimJob): boolean;
  /** The record that starts for a pending job: the job itself, or the next task of an array. */
  nextToStart(job: SimJob): SimJob;
  start(job: SimJob, placement: readonly number[], backfill: boolean): void;
}

/**
 * One pass of a priority scheduler with a simple backfill: pending jobs by partition tier,
 * priority, then age. In each partition the first job that does not fit waits for Resources and
 * reserves the nodes closest to fitting it; later jobs may start on other nodes (backfill) and
 * otherwise wait for Priority. The reservation keeps a large job from starving.
 */
export function schedulePass(host: SchedulerHost, pending: readonly SimJob[], now: number): void {
  const tier = (job: SimJob): number => host.partition(job.partition)?.config.priorityTier ?? 0;
  const order = pending.filter((j) => j.state === SimJobState.Pending);
  order.sort(
    (a, b) =>
      tier(b) - tier(a) ||
      b.priority - a.priority ||
      a.submitTime - b.submitTime ||
      a.jobId - b.jobId,
  );
  const blocked = new Set<string>();
  const reserved = new Uint8Array(host.nodes.length);
  for (const job of order) {
    job.lastSchedEval = now;
    if (job.held) {
      job.reason = SimReason.JobHeldUser;
      continue;
    }
    if (job.beginTime > now) {
      job.reason = SimReason.BeginTime;
      continue;
    }
    if (!host.dependenciesMet(job)) continue;
    if (job.eligibleTime === 0 || job.eligibleTime > now) {
      job.eligibleTime = now;
      job.accrueTime = now;
    }
    const backfill = blocked.has(job.partition);
    if (startAsMuchAsFits(host, job, reserved, backfill) !== 'no-fit') continue;
    if (backfill) {
      job.reason = SimReason.Priority;
    } else {
      job.reason = SimReason.Resources;
      blocked.add(job.partition);
      reserveFor(host, job, reserved);
    }
  }
}

function startAsMuchAsFits(
  host: SchedulerHost,
  job: SimJob,
  reserved: Uint8Array,
  backfill: boolean,
): 'started' | 'task-limit' | 'no-fit' {
  const partition = host.partition(job.partition);
  if (partition === undefined) return 'no-fit';
  const request = perNodeRequest(job);
  const filter = {
    count: job.nodeCount,
    gpuType: job.gpuType,
    constraint: job.constraint,
    reserved,
  };
  for (;;) {
    if (job.pendingTasks !== null && job.arrayMaxRunning > 0) {
      const running = host
        .arrayTasks(job.jobId)
        .filter((t) => t.state === SimJobState.Running).length;
      if (running >= job.arrayMaxRunning) {
        job.reason = SimReason.JobArrayTaskLimit;
        return 'task-limit';
      }
    }
    const placement = firstFit(host.nodes, partition.nodes, request, filter);
    if (placement === null) return 'no-fit';
    const started = host.nextToStart(job);
    host.start(started, placement, backfill);
    if (started === job) return 'started';
  }
}

/** Holds back, for a job that must wait, the nodes nearest to fitting it (most free CPUs first). */
function reserveFor(host: SchedulerHost, job: SimJob, reserved: Uint8Array): void {
  const partition = host.partition(job.partition);
  if (partition === undefined) return;
  const request = perNodeRequest(job);
  const filter = {
    count: job.nodeCount,
    gpuType: job.gpuType,
    constraint: job.constraint,
    reserved,
  };
  const candidates = partition.nodes
    .map((i) => host.nodes[i]!)
    .filter((n) => isSchedulable(n) && reserved[n.index] === 0 && couldEverHold(n, request, filter))
    .sort((a, b) => b.cpus - b.allocCpus - (a.cpus - a.allocCpus) || a.index - b.index);
  for (const node of candidates.slice(0, job.nodeCount)) reserved[node.index] = 1;
}
