import {
  evolveJob,
  JOB_STATE_GROUPS,
  type JobRecord,
  type PendingReasonTime,
} from '@clocktower/contracts';

/** One event of a job's history, as the pending-time fold reads it. */
export interface PendingTimeStep {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt: string;
  /** Slurm's own time of the change, where the event carries one. */
  readonly slurmTime: string | null;
}

export interface PendingTime {
  readonly totalSeconds: number;
  /** In the order each reason first applied. */
  readonly byReason: readonly PendingReasonTime[];
  readonly pending: boolean;
}

const PENDING_STATES: ReadonlySet<string> = new Set(JOB_STATE_GROUPS['pending']);
/** Slurm gave no reason (or the collector saw none). */
export const NO_REASON = 'None';

/**
 * When a change happened. Slurm's own time where the event has one (submit, start, end, requeue):
 * it is exact, while occurredAt is only when a poll noticed, up to a poll interval late — and for a
 * job first seen long after it was submitted, Slurm's submit time is the only true start of its
 * wait. Otherwise (a pending reason change) the observation time, the best bound there is.
 */
function momentOf(step: PendingTimeStep): number {
  if (step.slurmTime !== null) {
    const slurm = Date.parse(step.slurmTime);
    if (!Number.isNaN(slurm)) return slurm;
  }
  return Date.parse(step.occurredAt);
}

/**
 * How long a job waited, per pending reason: the time between consecutive events while the job's
 * state (after the earlier one) is pending, attributed to the reason then in force. A requeued job
 * pends again and adds to the same totals. Moments never go backwards (a Slurm time earlier than an
 * observation already counted adds nothing rather than a negative span); when the job still pends,
 * the open interval runs up to `now`. Pure.
 */
export function pendingTimeOf(history: readonly PendingTimeStep[], now: Date): PendingTime {
  const byReason = new Map<string, number>();
  const add = (record: JobRecord, ms: number): void => {
    const reason = record.stateReason ?? NO_REASON;
    byReason.set(reason, (byReason.get(reason) ?? 0) + Math.max(0, ms));
  };
  let record: JobRecord | undefined;
  let moment = Number.NEGATIVE_INFINITY;
  for (const step of history) {
    const at = Math.max(moment, momentOf(step));
    if (record && PENDING_STATES.has(record.state)) add(record, at - moment);
    record = evolveJob(record, step) ?? record;
    if (record) moment = at;
  }
  const pending = record !== undefined && PENDING_STATES.has(record.state);
  if (pending) add(record!, now.getTime() - moment);
  let totalMs = 0;
  const reasons: PendingReasonTime[] = [];
  for (const [reason, ms] of byReason) {
    totalMs += ms;
    reasons.push({ reason, seconds: toSeconds(ms) });
  }
  return { totalSeconds: toSeconds(totalMs), byReason: reasons, pending };
}

const toSeconds = (ms: number): number => Math.round(ms) / 1000;
