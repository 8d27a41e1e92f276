import { MAX_STATS_POINTS, MIN_STATS_STEP_SECONDS } from '@clocktower/contracts';
import type { Problems } from '../validation/problems.js';
import { toUtcIso } from '../validation/time-param.decorator.js';

export const DEFAULT_STATS_SPAN_MS = 24 * 3_600_000;
/** Points a default step aims at: enough for a chart, few enough to send at once. */
export const DEFAULT_STATS_POINTS = 200;

export interface StatsPeriod {
  readonly from: string;
  readonly to: string;
  readonly step: number;
}

/**
 * The period a stats request asks for, with its defaults (the last 24 hours, ~200 points in whole
 * minutes), or undefined with the problems named: `from` not before `to`, or a `step` that would
 * make more than MAX_STATS_POINTS points.
 */
export function statsPeriodOf(
  params: { readonly from?: string; readonly to?: string; readonly step?: number },
  now: Date,
  problems: Problems,
): StatsPeriod | undefined {
  const to = params.to === undefined ? now.toISOString() : toUtcIso(params.to);
  const toMs = Date.parse(to);
  const from =
    params.from === undefined
      ? new Date(toMs - DEFAULT_STATS_SPAN_MS).toISOString()
      : toUtcIso(params.from);
  const spanSeconds = (toMs - Date.parse(from)) / 1_000;
  if (spanSeconds <= 0) {
    problems.add('from', 'from must be before to');
    return undefined;
  }
  const minimum = Math.max(MIN_STATS_STEP_SECONDS, Math.ceil(spanSeconds / MAX_STATS_POINTS));
  if (params.step !== undefined && params.step < minimum) {
    problems.add(
      'step',
      `step must be at least ${minimum} seconds for this period (at most ${MAX_STATS_POINTS} points)`,
    );
    return undefined;
  }
  const step =
    params.step ??
    Math.max(
      MIN_STATS_STEP_SECONDS,
      Math.ceil(spanSeconds / DEFAULT_STATS_POINTS / MIN_STATS_STEP_SECONDS) *
        MIN_STATS_STEP_SECONDS,
    );
  return { from, to, step };
}
