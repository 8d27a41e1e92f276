import {
  FINAL_JOB_STATES,
  JobEnded,
  JobPendingReasonChanged,
  JobRequeued,
  JobResourcesChanged,
  JobStarted,
  JobState,
  JobStateChanged,
  JobSubmitted,
  streamName,
  type JobRecord,
} from '@clocktower/contracts';
import { draft, type EventDraft, type StreamDecision } from './event-draft.js';
import { evolveJob, GENERIC_JOB_FIELDS, readField } from '@clocktower/contracts';

export type ObservedIn = 'squeue' | 'sacct' | 'scontrol';

/** What the collector knows of one job: its stream, that stream's revision, its folded record. */
export interface KnownJob {
  readonly stream: string;
  readonly revision: number;
  readonly record: JobRecord;
  /** Recorded as gone from the controller with no accounting record; it may still come back. */
  readonly left?: boolean;
}

/**
 * One life of one job: a reused job id gets a new stream because its first submit time differs; a
 * requeue changes Slurm's submit time but stays in the stream it started in.
 */
export function jobStreamName(cluster: string, jobId: string, submitTime: string | null): string {
  const epoch = submitTime === null ? 'unknown' : String(Math.floor(Date.parse(submitTime) / 1000));
  return streamName('job', `${cluster}-${jobId}-${epoch}`);
}

const isFinal = (state: string): boolean => FINAL_JOB_STATES.has(state);

/**
 * The id a job keeps for its whole life. A pending array's meta-record is printed as `50_[1-6]`,
 * then `50_[3-6]` as tasks start; Slurm's own id for it is the array's (50), which the last task
 * to start finally runs under. Keying by that keeps one stream for it.
 */
export function jobKey(record: Pick<JobRecord, 'jobId' | 'arrayJobId'>): string {
  return record.arrayJobId !== null && record.jobId.includes('[')
    ? record.arrayJobId
    : record.jobId;
}

/** The record with its lifelong id: `normalize` before deciding, so every layer agrees. */
export function withJobKey(record: JobRecord): JobRecord {
  const key = jobKey(record);
  return key === record.jobId ? record : { ...record, jobId: key };
}

/**
 * Whether `next` is the job we know or a new job under a reused id. A requeue (restart count up) is
 * the same job; so is anything with the same submit time. Otherwise a different user or name, or a
 * restart count that did not rise on a job that had ended, means Slurm handed the id out again.
 */
export function isSameJob(known: JobRecord, next: JobRecord): boolean {
  if (next.submitTime === known.submitTime) return true;
  if ((next.restartCount ?? 0) > (known.restartCount ?? 0)) return true;
  // sacct's JSON leaves the user empty on clusters without associations: empty means unknown.
  const otherUser = next.user !== '' && known.user !== '' && next.user !== known.user;
  if (otherUser || next.name !== known.name) return false;
  if (isFinal(known.state) && next.restartCount !== null && known.restartCount !== null)
    return false;
  return true;
}

/** The record as it was when submitted: every job's history starts PENDING. */
function asSubmitted(next: JobRecord): JobRecord {
  const none = { cpus: null, memoryMB: null, gpus: null, nodes: null };
  return {
    ...next,
    state: JobState.Pending,
    stateReason: next.state === JobState.Pending ? next.stateReason : null,
    exitCode: null,
    signal: null,
    startTime: null,
    endTime: null,
    nodes: null,
    allocated: none,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  return (
    a === b ||
    (a !== null && b !== null && typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b))
  );
}

/**
 * The events that take what we know of a job to what a new observation shows, and nothing when
 * nothing changed. Pure. Folding the result over `known` gives `next` (a field `next` leaves null
 * is "not shown by this output", never a change), which is what makes a second poll of the same
 * state — or a replay of the same output — add nothing.
 */
export function decideJob(
  known: KnownJob | undefined,
  next: JobRecord,
  observedIn: ObservedIn,
): StreamDecision | undefined {
  const base = { cluster: next.cluster, jobId: next.jobId, observedIn };
  const events: EventDraft[] = [];
  let stream: string;
  let revision: number;
  let current: JobRecord;
  const emit = (cls: Parameters<typeof draft>[0], data: object): void => {
    events.push(draft(cls, data));
    current = evolveJob(current, { type: cls.type, data: data as Record<string, unknown> })!;
  };

  if (known && isSameJob(known.record, next)) {
    ({ stream, revision } = known);
    current = known.record;
  } else {
    stream = jobStreamName(next.cluster, next.jobId, next.submitTime);
    revision = -1;
    current = asSubmitted(next);
    events.push(draft(JobSubmitted, { ...base, record: current, slurmTime: next.submitTime }));
  }

  const requeued =
    (next.restartCount ?? 0) > (current.restartCount ?? 0) ||
    (current.state !== JobState.Pending &&
      next.state === JobState.Pending &&
      current.submitTime !== null &&
      next.submitTime !== current.submitTime);
  if (requeued) {
    emit(JobRequeued, {
      ...base,
      previousState: current.state,
      restartCount: next.restartCount,
      slurmTime: next.submitTime,
    });
  }

  if (next.state !== current.state) {
    // A job that started and maybe ended between two polls still went through RUNNING: Slurm's
    // start time proves it, and its history must say so.
    const startedUnseen =
      current.state === JobState.Pending &&
      next.startTime !== null &&
      next.state !== JobState.Pending;
    if (startedUnseen && next.state !== JobState.Running) {
      emit(JobStateChanged, {
        ...base,
        from: current.state,
        to: JobState.Running,
        reason: null,
        slurmTime: next.startTime,
      });
    }
    emit(JobStateChanged, {
      ...base,
      from: current.state,
      to: next.state,
      reason: next.stateReason,
      slurmTime:
        next.state === JobState.Running
          ? next.startTime
          : isFinal(next.state)
            ? next.endTime
            : null,
    });
    if (startedUnseen) {
      emit(JobStarted, {
        ...base,
        nodes: next.nodes,
        allocated: next.allocated,
        slurmTime: next.startTime,
      });
    }
    if (isFinal(next.state)) {
      emit(JobEnded, {
        ...base,
        state: next.state,
        exitCode: next.exitCode,
        signal: next.signal,
        reason: next.stateReason,
        slurmTime: next.endTime,
      });
    }
  } else if (
    next.state === JobState.Pending &&
    next.stateReason !== null &&
    next.stateReason !== current.stateReason
  ) {
    emit(JobPendingReasonChanged, { ...base, from: current.stateReason, to: next.stateReason });
  } else if (
    isFinal(next.state) &&
    ((next.exitCode !== null && next.exitCode !== current.exitCode) ||
      (next.signal !== null && next.signal !== current.signal) ||
      (next.endTime !== null && next.endTime !== current.endTime))
  ) {
    // Accounting knows more than the queue did (an exit code the queue never showed): the end is
    // stated again with what is now known; the fold keeps the latest.
    emit(JobEnded, {
      ...base,
      state: next.state,
      exitCode: next.exitCode ?? current.exitCode,
      signal: next.signal ?? current.signal,
      reason: next.stateReason ?? current.stateReason,
      slurmTime: next.endTime ?? current.endTime,
    });
  }

  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of GENERIC_JOB_FIELDS) {
    // sacct keeps a pending array's task list as submitted; only the queue shows it shrink.
    if (field === 'arrayTaskId' && observedIn === 'sacct') continue;
    const to = readField(next, field);
    const from = readField(current, field);
    // Null or empty: this output does not show the field (sacct's JSON has no user without associations).
    if (to !== null && to !== undefined && to !== '' && !sameValue(from, to))
      changes[field] = { from: from ?? null, to };
  }
  if (next.stateReason !== null && next.stateReason !== current.stateReason) {
    changes['stateReason'] = { from: current.stateReason, to: next.stateReason };
  }
  if (Object.keys(changes).length > 0) emit(JobResourcesChanged, { ...base, changes });

  return events.length === 0 ? undefined : { stream, revision, events };
}
