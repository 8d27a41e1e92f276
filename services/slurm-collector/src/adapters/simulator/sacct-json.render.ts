import { compressHostList } from '@clocktower/contracts';
import { isEnded, type SimAllocation, type SimJob, SimJobState } from './simulated-job.js';
import {
  type ClusterView,
  jobMemoryMB,
  noise,
  openapiMeta,
  sacctExitCode,
  slurmJson,
  taskBitmap,
} from './slurm-json.format.js';

/**
 * `sacct --json --allusers --allocations -S since -E until` of Slurm 22.05 (openapi/dbv0.0.38):
 * one record per job allocation active in the window, and one more per earlier run a requeue ended
 * (lab captures: test/simulator/fixtures/lab-sacct-*.json).
 *
 * Unlike a real 22.05, the exit code of a job that exited non-zero is kept (`FAILED`, the code):
 * the lab's sacct loses it, and reproducing that bug would only hide the simulator's exit codes.
 */
export function renderSacctJson(view: ClusterView, since: number, until: number): string {
  const jobs: object[] = [];
  for (const job of view.jobs()) {
    for (const life of job.lives) {
      if (life.endTime >= since && life.startTime <= until) {
        jobs.push(
          sacctRecord(view, job, {
            state: life.state,
            eligible: life.eligibleTime,
            start: life.startTime,
            end: life.endTime,
            allocations: life.allocations,
            exitCode: life.exitCode,
          }),
        );
      }
    }
    if (inWindow(job, since, until)) jobs.push(sacctRecord(view, job, currentRun(job)));
  }
  return slurmJson({ meta: openapiMeta('db'), errors: [], jobs });
}

/**
 * Which jobs `-S/-E` selects: those that were eligible or running in the window. A held job, or
 * one waiting on a dependency, was never eligible and is left out, as the lab shows.
 */
function inWindow(job: SimJob, since: number, until: number): boolean {
  if (job.state === SimJobState.Pending) return job.eligibleTime !== 0 && job.eligibleTime <= until;
  if (job.state === SimJobState.Running) return job.startTime <= until;
  return job.endTime >= since && job.submitTime <= until;
}

interface Run {
  readonly state: string;
  readonly eligible: number;
  /** null: ended without ever starting (cancelled while pending). */
  readonly start: number | null;
  readonly end: number;
  readonly allocations: readonly SimAllocation[];
  readonly exitCode: number;
}

function currentRun(job: SimJob): Run {
  const ran = job.allocations.length > 0;
  const pending = job.state === SimJobState.Pending;
  return {
    state: job.state,
    eligible: job.eligibleTime,
    start: ran ? job.startTime : pending ? 0 : null,
    end: isEnded(job) ? job.endTime : 0,
    allocations: job.allocations,
    exitCode: job.exitCode,
  };
}

function sacctRecord(view: ClusterView, job: SimJob, run: Run): object {
  const user = view.users[job.user]!;
  const ran = run.allocations.length > 0;
  const elapsed = ran ? (run.end === 0 ? view.now : run.end) - (run.start ?? 0) : 0;
  // CPU time the job used: most of its allocated CPUs, most of the time.
  const busy = ran ? elapsed * job.cpus * (0.5 + 0.45 * noise(job.jobId, job.restartCnt)) : 0;
  const userSeconds = Math.floor(busy * 0.96);
  const systemSeconds = Math.floor(busy * 0.04);
  const userMicros = Math.floor(noise(job.jobId, 1) * 1e6);
  const systemMicros = Math.floor(noise(job.jobId, 2) * 1e6);
  const totalMicros = userMicros + systemMicros;
  const memory = jobMemoryMB(job);
  const gpus = job.gpusPerNode * job.nodeCount;
  const requested = tresList(job.cpus, memory, job.nodeCount, gpus, false);
  const comment = isEnded(job) && job.comment !== '' ? job.comment : null;
  return {
    account: job.account,
    comment: { administrator: null, job: comment, system: null },
    allocation_nodes: run.allocations.length,
    array: {
      job_id: job.arrayJobId,
      limits: { max: { running: { tasks: job.arrayMaxRunning } } },
      task:
        job.pendingTasks === null || job.pendingTasks.length === 0
          ? null
          : taskBitmap(job.pendingTasks),
      task_id: job.arrayTaskId,
    },
    association: {
      account: job.account,
      cluster: view.clusterName,
      partition: null,
      user: user.name,
    },
    cluster: view.clusterName,
    constraints: job.constraint,
    container: null,
    derived_exit_code: { status: 'SUCCESS', return_code: 0 },
    time: {
      elapsed,
      eligible: run.eligible,
      end: run.end,
      start: run.start,
      submission: job.submitTime,
      suspended: 0,
      system: { seconds: systemSeconds, microseconds: systemMicros },
      limit: job.timeLimit,
      total: {
        seconds: userSeconds + systemSeconds + Math.floor(totalMicros / 1e6),
        microseconds: totalMicros % 1_000_000,
      },
      user: { seconds: userSeconds, microseconds: userMicros },
    },
    exit_code: sacctExitCode(run.exitCode),
    flags: ran
      ? ['CLEAR_SCHEDULING', job.startedOnBackfill ? 'STARTED_ON_BACKFILL' : 'STARTED_ON_SCHEDULE']
      : [],
    group: user.group,
    het: { job_id: 0, job_offset: null },
    job_id: job.jobId,
    name: job.name,
    mcs: { label: '' },
    nodes: ran
      ? compressHostList(run.allocations.map((a) => view.nodes[a.node]!.name))
      : 'None assigned',
    partition: job.partition,
    priority: job.priority,
    qos: job.qos,
    required: { CPUs: job.cpus, memory: job.memoryMB },
    kill_request_user: job.killRequestUser,
    reservation: { id: 0, name: 0 },
    state: { current: run.state, reason: 'None' },
    steps: [],
    tres: {
      allocated: ran ? tresList(job.cpus, memory, run.allocations.length, gpus, true) : [],
      requested,
    },
    user: user.name,
    wckey: { wckey: '', flags: [] },
    working_directory: job.workDir,
  };
}

/** TRES ids as a fresh slurmdbd numbers them; gres/gpu gets the first id past the built-ins. */
function tresList(
  cpus: number,
  memoryMB: number,
  nodes: number,
  gpus: number,
  allocated: boolean,
): object[] {
  const list: object[] = [
    { type: 'cpu', name: null, id: 1, count: cpus },
    { type: 'mem', name: null, id: 2, count: memoryMB },
  ];
  // sacct lists energy (unmeasured) only among allocated TRES.
  if (allocated) list.push({ type: 'energy', name: null, id: 3, count: null });
  list.push(
    { type: 'node', name: null, id: 4, count: nodes },
    { type: 'billing', name: null, id: 5, count: cpus },
  );
  if (gpus > 0) list.push({ type: 'gres', name: 'gpu', id: 1001, count: gpus });
  return list;
}
