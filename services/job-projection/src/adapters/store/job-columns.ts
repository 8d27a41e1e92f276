import type { JobRecord } from '@clocktower/contracts';
import type { JobViewState } from '../../domain/job-view.projection.js';
import { optionalIsoUtc } from '../../domain/iso-time.js';
import { OPEN_END } from './read-model.schema.js';

/** The jobs table's columns derived from a view (the rest of the row is the record's JSON). */
export interface JobColumns {
  readonly cluster: string;
  readonly jobId: string;
  readonly jobIdNum: number | null;
  readonly arrayJobId: string | null;
  readonly user: string;
  readonly account: string | null;
  readonly partition: string | null;
  readonly state: string;
  readonly nameLc: string;
  readonly submitTime: string | null;
  readonly eligibleTime: string | null;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly activeTo: string;
}

const LEADING_DIGITS = /^\d{1,15}/;

/**
 * Job ids sort as numbers (`9` before `10`): the leading digits as an integer, the text breaking
 * ties (`123_4` after `123`); an id without digits has none and sorts after all that have.
 */
export function jobIdNumber(jobId: string): number | null {
  const match = LEADING_DIGITS.exec(jobId);
  return match ? Number(match[0]) : null;
}

export function jobColumns(view: JobViewState): JobColumns {
  const r: JobRecord = view.record;
  return {
    cluster: r.cluster,
    jobId: r.jobId,
    jobIdNum: jobIdNumber(r.jobId),
    arrayJobId: r.arrayJobId ?? null,
    user: r.user,
    account: r.account ?? null,
    partition: r.partition ?? null,
    state: r.state,
    nameLc: r.name.toLowerCase(),
    // Sorted and compared as text: one spelling per instant.
    submitTime: optionalIsoUtc(r.submitTime),
    eligibleTime: optionalIsoUtc(r.eligibleTime),
    startTime: optionalIsoUtc(r.startTime),
    endTime: optionalIsoUtc(r.endTime),
    activeTo: view.finalAt ?? OPEN_END,
  };
}

/** The job_counts key of a row: '' for no account/partition (a filter value is never empty). */
export function countKey(c: JobColumns): string {
  return `${c.cluster}\u0000${c.partition ?? ''}\u0000${c.user}\u0000${c.account ?? ''}\u0000${c.state}`;
}

/**
 * Bits of the indexed columns a job update changed: an UPDATE that leaves a column out of its SET
 * list leaves the indexes on that column alone, so each combination gets its own statement.
 */
export const IndexedColumn = {
  State: 1,
  ActiveTo: 2,
  SubmitTime: 4,
  User: 8,
  Partition: 16,
  ArrayJobId: 32,
} as const;

export function changedIndexedColumns(before: JobColumns, after: JobColumns): number {
  let mask = 0;
  if (before.state !== after.state) mask |= IndexedColumn.State;
  if (before.activeTo !== after.activeTo) mask |= IndexedColumn.ActiveTo;
  if (before.submitTime !== after.submitTime) mask |= IndexedColumn.SubmitTime;
  if (before.user !== after.user) mask |= IndexedColumn.User;
  if (before.partition !== after.partition) mask |= IndexedColumn.Partition;
  if (before.arrayJobId !== after.arrayJobId) mask |= IndexedColumn.ArrayJobId;
  return mask;
}
