import { expandJobStates, type JobFilter } from '@clocktower/contracts';
import { toIsoUtc } from '../../domain/iso-time.js';
import { InvalidQueryError } from '../../domain/projection.errors.js';
import { jobIdNumber } from './job-columns.js';
import type { Scope } from './read-model.port.js';

export type SqlParam = string | number | null;

/** WHERE terms (joined with AND) and their parameters; `never` when no row can match. */
export interface SqlFilter {
  readonly terms: string[];
  readonly params: SqlParam[];
  readonly never: boolean;
  /** Only columns that job_counts has too: the total can be summed from it. */
  readonly countable: boolean;
  /** Only cluster, partition and state: the total can be summed from job_totals (few rows). */
  readonly totalsOnly: boolean;
  /** The expanded state filter, if any. */
  readonly states: readonly string[] | null;
}

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

function isoParam(field: string, value: string): string {
  const iso = toIsoUtc(value);
  if (iso === null) throw new InvalidQueryError(field, `not an ISO 8601 time: ${value}`);
  return iso;
}

export interface JobFilterOptions {
  /** Table alias prefix of cluster, user, account, partition, state (`h.`); empty for none. */
  readonly prefix?: string;
  /** Table alias prefix of the columns only `jobs` has (id, name_lc, job_id, times…). */
  readonly jobPrefix?: string;
  /**
   * Write the state term as `+state IN (…)`: a unary plus keeps SQLite from looking rows up by the
   * state index, for when many rows match and walking the sort order's index finds a page sooner.
   */
  readonly stateByScan?: boolean;
}

/**
 * The SQL of a job filter and the caller's scope. Columns are named as in both `jobs` and
 * `history` (cluster, user, account, partition, state), so the change feed reuses it.
 */
export function jobFilterSql(filter: JobFilter & Scope, options: JobFilterOptions = {}): SqlFilter {
  const p = options.prefix ?? '';
  const jp = options.jobPrefix ?? p;
  const terms: string[] = [];
  const params: SqlParam[] = [];
  let never = false;
  let countable = true;
  const add = (term: string, ...values: SqlParam[]): void => {
    terms.push(term);
    params.push(...values);
  };

  const user = filter.onlyUser ?? filter.user;
  if (filter.onlyUser !== undefined && filter.user !== undefined && filter.user !== filter.onlyUser)
    never = true;
  if (user !== undefined) add(`${p}user = ?`, user);

  if (filter.onlyClusters !== undefined) {
    const allowed = filter.onlyClusters;
    if (filter.cluster !== undefined) {
      if (!allowed.includes(filter.cluster)) never = true;
      add(`${p}cluster = ?`, filter.cluster);
    } else if (allowed.length === 0) never = true;
    else add(`${p}cluster IN (${placeholders(allowed.length)})`, ...allowed);
  } else if (filter.cluster !== undefined) add(`${p}cluster = ?`, filter.cluster);

  const totalsOnly = user === undefined && filter.account === undefined;
  if (filter.account !== undefined) add(`${p}account = ?`, filter.account);
  if (filter.partition !== undefined) add(`${p}partition = ?`, filter.partition);

  let states: string[] | null = null;
  if (filter.state !== undefined) {
    states = expandJobStates(filter.state);
    if (states.length === 0) never = true;
    else
      add(
        `${options.stateByScan === true ? '+' : ''}${p}state IN (${placeholders(states.length)})`,
        ...states,
      );
  }
  // Filters only the jobs table can answer (not job_counts).
  if (filter.node !== undefined) {
    const inCluster = filter.cluster !== undefined ? ' AND cluster = ?' : '';
    add(
      `${jp}id IN (SELECT job FROM job_nodes WHERE node = ?${inCluster})`,
      filter.node,
      ...(filter.cluster !== undefined ? [filter.cluster] : []),
    );
    countable = false;
  }
  if (filter.nameContains !== undefined) {
    add(`instr(${jp}name_lc, ?) > 0`, filter.nameContains.toLowerCase());
    countable = false;
  }
  if (filter.jobIds !== undefined) {
    if (filter.jobIds.length === 0) never = true;
    else add(`${jp}job_id IN (${placeholders(filter.jobIds.length)})`, ...filter.jobIds);
    // The same ids by number as well, so that the numeric-aware key index finds them.
    const numbers = filter.jobIds.map(jobIdNumber);
    if (numbers.every((n) => n !== null))
      add(`${jp}job_id_num IN (${placeholders(numbers.length)})`, ...numbers);
    countable = false;
  }
  if (filter.arrayJobId !== undefined) {
    add(`${jp}array_job_id = ?`, filter.arrayJobId);
    countable = false;
  }
  for (const [field, column, op] of TIME_RANGES) {
    const value = filter[field];
    if (value === undefined) continue;
    add(`${jp}${column} ${op} ?`, isoParam(field, value));
    countable = false;
  }
  return { terms, params, never, countable, totalsOnly: countable && totalsOnly, states };
}

const TIME_RANGES = [
  ['submittedFrom', 'submit_time', '>='],
  ['submittedTo', 'submit_time', '<='],
  ['startedFrom', 'start_time', '>='],
  ['startedTo', 'start_time', '<='],
  ['endedFrom', 'end_time', '>='],
  ['endedTo', 'end_time', '<='],
] as const;

/** Filters of the change feed that only a job can match: a node change then never passes. */
export function hasJobOnlyFilter(filter: JobFilter & Scope): boolean {
  return (
    filter.user !== undefined ||
    filter.account !== undefined ||
    filter.state !== undefined ||
    filter.nameContains !== undefined ||
    filter.jobIds !== undefined ||
    filter.arrayJobId !== undefined ||
    filter.submittedFrom !== undefined ||
    filter.submittedTo !== undefined ||
    filter.startedFrom !== undefined ||
    filter.startedTo !== undefined ||
    filter.endedFrom !== undefined ||
    filter.endedTo !== undefined
  );
}
