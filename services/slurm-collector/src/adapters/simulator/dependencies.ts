import {
  isEnded,
  type SimDependency,
  type SimDependencyType,
  type SimJob,
  SimJobState,
} from './simulated-job.js';
import { SimulatedCommandRejectedError } from './simulator.errors.js';

/**
 * `--dependency` as the simulated controller understands it: the grammar sources accept
 * (`afterok:12:13_2+5,afterany:14`, `singleton`), with `aftercorr` and `afterburstbuffer` read as
 * `afterany`, a `+minutes` delay ignored, and `?` (any of) read as `,` (all of).
 */
export interface ParsedDependency {
  readonly type: SimDependencyType;
  /** The job (or array) id; 0 for singleton. */
  readonly jobId: number;
  /** For `ID_TASK`: one task of an array. */
  readonly taskId: number | null;
}

const TERM =
  /^(after|afterany|afterok|afternotok|aftercorr|afterburstbuffer)((?::\d+(?:_\d+)?(?:\+\d+)?)+)$/;

export function parseDependency(spec: string): ParsedDependency[] {
  const out: ParsedDependency[] = [];
  for (const term of spec.trim().split(/[,?]/)) {
    if (term === 'singleton') {
      out.push({ type: 'singleton', jobId: 0, taskId: null });
      continue;
    }
    const match = TERM.exec(term);
    if (!match)
      throw new SimulatedCommandRejectedError('sbatch', `Job dependency problem: ${spec}`);
    const type =
      match[1] === 'aftercorr' || match[1] === 'afterburstbuffer'
        ? 'afterany'
        : (match[1] as SimDependencyType);
    for (const ref of (match[2] ?? '').split(':').slice(1)) {
      const [id, task] = (ref.split('+')[0] ?? '').split('_');
      out.push({ type, jobId: Number(id), taskId: task === undefined ? null : Number(task) });
    }
  }
  return out;
}

/** What the controller knows about other jobs, to judge a dependency. */
export interface DependencyLookup {
  job(jobId: number): SimJob | undefined;
  arrayTasks(arrayJobId: number): readonly SimJob[];
  jobs(): Iterable<SimJob>;
}

export type DependencyVerdict = 'met' | 'waiting' | 'never';

export function judgeDependency(
  dependency: SimDependency,
  job: SimJob,
  lookup: DependencyLookup,
): DependencyVerdict {
  if (dependency.type === 'singleton') return singletonVerdict(job, lookup);
  const targets = targetsOf(dependency.jobId, lookup);
  // A job no longer in memory counts as done, as slurmctld treats a purged dependency.
  if (targets.length === 0) return 'met';
  if (dependency.type === 'after') {
    return targets.every((t) => t.state !== SimJobState.Pending) ? 'met' : 'waiting';
  }
  if (!targets.every(isEnded)) return 'waiting';
  const completed = targets.every((t) => t.state === SimJobState.Completed);
  if (dependency.type === 'afterok') return completed ? 'met' : 'never';
  if (dependency.type === 'afternotok') return completed ? 'never' : 'met';
  return 'met';
}

/** The records a dependency on `jobId` waits for: the job, or an array's meta record and every task. */
function targetsOf(jobId: number, lookup: DependencyLookup): SimJob[] {
  const job = lookup.job(jobId);
  if (job === undefined) return [];
  return job.arrayJobId === job.jobId ? [job, ...lookup.arrayTasks(jobId)] : [job];
}

/** singleton: no earlier job of the same user and name may still be queued or running. */
function singletonVerdict(job: SimJob, lookup: DependencyLookup): DependencyVerdict {
  for (const other of lookup.jobs()) {
    if (other.jobId >= job.jobId) continue;
    if (other.user === job.user && other.name === job.name && !isEnded(other)) return 'waiting';
  }
  return 'met';
}

/** How squeue prints what a job still waits for: `afterok:12(unfulfilled),singleton(unfulfilled)`. */
export function formatDependencies(dependencies: readonly SimDependency[]): string {
  return dependencies
    .map((d) =>
      d.type === 'singleton' ? `singleton(${d.state})` : `${d.type}:${d.jobId}(${d.state})`,
    )
    .join(',');
}
