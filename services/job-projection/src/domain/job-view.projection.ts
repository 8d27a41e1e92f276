import { evolveJob, FINAL_JOB_STATES, type JobRecord } from '@clocktower/contracts';

/** What the fold needs of a stored event. */
export interface FoldableEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  /** Normalized (toIsoUtc) observation time. */
  readonly occurredAt: string;
  readonly position: number;
}

/** One life of a job as the read model holds it. */
export interface JobViewState {
  readonly stream: string;
  readonly record: JobRecord;
  /** occurredAt of the last event folded in. */
  readonly updatedAt: string;
  readonly position: number;
  /** occurredAt of the job's first event: the job exists from then on (as-of views). */
  readonly firstAt: string;
  /** When it last entered a final state, null while it is not in one (as-of views). */
  readonly finalAt: string | null;
}

export const isFinalState = (state: string): boolean => FINAL_JOB_STATES.has(state);

/**
 * Folds one job event into the view: the record exactly as the collector folds it (evolveJob),
 * plus where the history stands. Undefined when the event cannot apply (no JobSubmitted yet).
 */
export function evolveJobView(
  view: JobViewState | undefined,
  stream: string,
  event: FoldableEvent,
): JobViewState | undefined {
  const record = evolveJob(view?.record, event);
  if (!record) return undefined;
  const wasFinal = view !== undefined && isFinalState(view.record.state);
  const final = isFinalState(record.state);
  return {
    stream,
    record,
    updatedAt: event.occurredAt,
    position: event.position,
    firstAt: view?.firstAt ?? event.occurredAt,
    finalAt: !final ? null : wasFinal ? (view.finalAt ?? event.occurredAt) : event.occurredAt,
  };
}
