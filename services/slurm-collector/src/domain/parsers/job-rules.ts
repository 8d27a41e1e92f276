import { FINAL_JOB_STATES, type JobRecord } from '@clocktower/contracts';
import { type ExitStatus, exitStatusForState } from './slurm-exit-codes.js';
import { expandOutputPath, normalizeTaskSpec } from './slurm-values.js';

/**
 * Rules every job parser applies after reading its fields, so that the same job reads the same
 * whatever command and format it came from.
 */

/** Where a job sits in an array: its own id, and the array fields of the record. */
export interface JobIdentity {
  readonly jobId: string;
  readonly arrayJobId: string | null;
  readonly arrayTaskId: string | null;
}

/**
 * A pending array's meta-record (tasks not yet started, `1234_[1-10]`) becomes one record with
 * jobId `1234_[1-10]` and the task spec as arrayTaskId; a task that has its own job id keeps it.
 * The meta-record's jobId changes as tasks start (`1234_[1-10]` → `1234_[3-10]`) and the last task
 * to start takes the array's own numeric id.
 */
export function jobIdentity(
  jobId: string,
  arrayJobId: string | null,
  task: string | null,
  taskIsSpec: boolean,
): JobIdentity {
  if (arrayJobId === null) return { jobId, arrayJobId: null, arrayTaskId: null };
  if (task !== null && taskIsSpec) {
    const spec = normalizeTaskSpec(task);
    return { jobId: `${arrayJobId}_[${spec}]`, arrayJobId, arrayTaskId: spec };
  }
  return { jobId, arrayJobId, arrayTaskId: task };
}

export interface OutputPaths {
  readonly stdout: string | null;
  readonly stderr: string | null;
  /** A batch job with no stdout pattern writes to Slurm's default file. */
  readonly batch: boolean;
}

/**
 * Applies the cross-source rules to a freshly read record, in place:
 * - times Slurm fills with estimates are not facts: a pending job or one that never got nodes has
 *   no start time (squeue's expected start, and the cancel time Slurm writes as start of a job
 *   cancelled while pending); a job that has not ended has no end time (squeue prints the end its
 *   time limit would give);
 * - the exit status only of an ended job, and never a 0 that contradicts the state;
 * - output paths expanded (`%x-%j.out` → `fx-ok-3.out`), absolute, stderr defaulting to stdout.
 */
export function finishJob(job: JobRecord, exit: ExitStatus, paths: OutputPaths): JobRecord {
  const ended = job.state === 'COMPLETING' || FINAL_JOB_STATES.has(job.state);
  if (job.state === 'PENDING' || job.nodes === null) job.startTime = null;
  if (!ended) job.endTime = null;
  const status = exitStatusForState(job.state, exit);
  job.exitCode = status.exitCode;
  job.signal = status.signal;
  let stdoutPattern = paths.stdout;
  if ((stdoutPattern === null || stdoutPattern === '') && paths.batch) {
    stdoutPattern =
      job.arrayJobId !== null && job.arrayTaskId !== null ? 'slurm-%A_%a.out' : 'slurm-%j.out';
  }
  // A pending array's meta-record has no task id yet: Slurm expands its `%a` to NO_VAL.
  const ctx =
    job.arrayJobId !== null && job.jobId.includes('[')
      ? { ...job, jobId: job.arrayJobId, arrayTaskId: null }
      : job;
  job.stdout = expandOutputPath(stdoutPattern, ctx);
  job.stderr =
    paths.stderr === null || paths.stderr === '' ? job.stdout : expandOutputPath(paths.stderr, ctx);
  return job;
}

/**
 * One record per job id, the latest life. `sacct --json` (22.05) prints a requeued job twice even
 * without `--duplicates`: the earlier life as REQUEUED, then the current one (with a later submit
 * time, which a requeue resets). The text format prints only the current one.
 */
export function latestPerJob(records: JobRecord[]): JobRecord[] {
  const index = new Map<string, number>();
  let duplicates = false;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const seen = index.get(r.jobId);
    if (seen === undefined) {
      index.set(r.jobId, i);
      continue;
    }
    duplicates = true;
    const other = records[seen]!;
    if ((r.submitTime ?? '') >= (other.submitTime ?? '')) index.set(r.jobId, i);
  }
  if (!duplicates) return records;
  const keep = new Set(index.values());
  return records.filter((_, i) => keep.has(i));
}
