import type { JobSortField } from '@clocktower/contracts';

const TIME_FIELDS: ReadonlySet<string> = new Set([
  'submitTime',
  'eligibleTime',
  'startTime',
  'endTime',
  'updatedAt',
]);
const NUMBER = /^[0-9]+$/;

/**
 * How two values of a sort field compare: times as instants, job ids as numbers (job 9 comes
 * before job 10, as Slurm hands them out), users and states as text.
 */
export function compareField(field: JobSortField, a: string, b: string): number {
  if (TIME_FIELDS.has(field)) return Date.parse(a) - Date.parse(b);
  if (field === 'jobId' && NUMBER.test(a) && NUMBER.test(b)) {
    return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether the nulls of a sorted column sit together at its start or its end. */
export function nullsAtOneEnd(values: readonly (string | null)[]): boolean {
  const first = values.findIndex((v) => v === null);
  if (first === -1) return true;
  const count = values.filter((v) => v === null).length;
  return first === 0
    ? values.slice(0, count).every((v) => v === null)
    : first === values.length - count;
}
