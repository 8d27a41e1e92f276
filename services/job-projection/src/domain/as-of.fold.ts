import type { JobRecord, NodeRecord } from '@clocktower/contracts';
import { evolveJobView, isFinalState, type JobViewState } from './job-view.projection.js';
import { evolveNodeView, type NodeViewState } from './node-view.projection.js';

/** A stored history event, as the as-of fold reads it (oldest first). */
export interface HistoryStep {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt: string;
  readonly position: number;
}

/**
 * "As it was at T" means as Clocktower knew it at T: events observed (occurredAt) at or before T.
 * Slurm's own times are not used here, so that the view at T and the changes up to T agree.
 */
export function jobAsOf(
  stream: string,
  steps: readonly HistoryStep[],
  time: string,
  base?: JobViewState,
): JobViewState | undefined {
  let view = base;
  for (const step of steps) {
    if (step.occurredAt > time) break;
    view = evolveJobView(view, stream, step) ?? view;
  }
  return view;
}

export function nodeAsOf(
  stream: string,
  steps: readonly HistoryStep[],
  time: string,
  base?: NodeViewState,
): NodeViewState | undefined {
  let view = base;
  for (const step of steps) {
    if (step.occurredAt > time) break;
    view = evolveNodeView(view, stream, step) ?? view;
  }
  return view;
}

/** A job that existed at T and had not ended by then. */
export function isLiveAt(view: JobViewState | undefined): view is JobViewState {
  return view !== undefined && !isFinalState(view.record.state);
}

/** Jobs per state, for the as-of view's summary. */
export function countByState(records: Iterable<JobRecord | NodeRecord>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { state } of records) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}
