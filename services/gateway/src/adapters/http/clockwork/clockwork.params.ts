import {
  JobState,
  MAX_PAGE_LIMIT,
  type JobSortField,
  type ListJobs,
  type SortOrder,
} from '@clocktower/contracts';
import { ClockworkReply, missingArgument, pythonType } from './clockwork-reply.js';

/** Query string or form values, as Express gives them (a key sent twice: a list). */
export type RawParams = Readonly<Record<string, unknown>>;

/** Clockwork's jobs per page when a page is asked for without a size (its web setting's default). */
export const CLOCKWORK_DEFAULT_PAGE_SIZE = 40;

/** Clockwork's aggregated states (`aggregated_job_state`) → Slurm states (its jobs_helper). */
export const AGGREGATED_JOB_STATES: Readonly<Record<string, readonly string[]>> = {
  PENDING: [JobState.Pending],
  RUNNING: [JobState.Running, JobState.Completing],
  COMPLETED: [JobState.Completed],
  FAILED: [
    JobState.Cancelled,
    JobState.Failed,
    JobState.OutOfMemory,
    JobState.Timeout,
    JobState.Preempted,
  ],
};

/** Clockwork's `sort_by` values, and which sort ascending when `sort_asc` is not 1 or -1. */
const SORTS: Readonly<Record<string, { field: JobSortField; ascending: boolean }>> = {
  user: { field: 'user', ascending: true },
  job_id: { field: 'jobId', ascending: false },
  job_state: { field: 'state', ascending: true },
  submit_time: { field: 'submitTime', ascending: false },
  start_time: { field: 'startTime', ascending: false },
  end_time: { field: 'endTime', ascending: false },
};

/** Flask's `request.args.get(name)`: the first value, or undefined. */
export function arg(params: RawParams, name: string): string | undefined {
  const value = params[name];
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof first === 'string' ? first : undefined;
}

/** Clockwork's comma lists (`cluster_name=mila,beluga`): spaces removed, empty items dropped. */
export function commaList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.replaceAll(' ', ''))
    .filter((item) => item !== '');
}

/** Flask's `args.get(name, type=int)`: an int, or undefined when absent or not one. */
function intArg(params: RawParams, name: string): number | undefined {
  const text = arg(params, name);
  if (text === undefined || !/^\s*[-+]?\d+\s*$/.test(text)) return undefined;
  return Number.parseInt(text, 10);
}

/** Clockwork's `to_boolean`: "true" (any case) or "1". */
function toBoolean(text: string | undefined): boolean {
  return text !== undefined && ['true', '1'].includes(text.toLowerCase());
}

/** What GET /jobs/list asks, in the projection's terms where they exist. */
export interface ClockworkJobList {
  /** ListJobs without scope, paging or sort. */
  readonly filter: Pick<ListJobs, 'state' | 'jobIds' | 'arrayJobId'>;
  /** `username`: a user's email (Clockwork's key) or, in Clocktower, a Slurm user name. */
  readonly username?: string;
  /** Requested clusters; empty: every cluster the caller may see. */
  readonly clusters: readonly string[];
  /** Present when a page was asked for; absent: every matching job. */
  readonly page?: { readonly num: number; readonly size: number };
  readonly sort: { readonly field: JobSortField; readonly order: SortOrder };
  readonly wantCount: boolean;
  /** Jobs not ended, or ended within this many seconds (the client's `relative_time`). */
  readonly relativeTimeSeconds?: number;
}

/**
 * GET /jobs/list's parameters, read as Clockwork reads them: lenient where it is (a page number or
 * size that is not a positive integer falls back to its default; unknown parameters are ignored),
 * a 400 naming the parameter where it would fail or silently match nothing that cannot be asked
 * here (an unknown aggregated state or sort, a job state Slurm does not have).
 */
export function parseJobList(params: RawParams): ClockworkJobList {
  const states = new Set<string>();
  for (const aggregated of commaList(arg(params, 'aggregated_job_state'))) {
    const group = AGGREGATED_JOB_STATES[aggregated];
    if (!group)
      throw new ClockworkReply(
        400,
        `Unknown aggregated_job_state ${aggregated}: expected one of ${Object.keys(AGGREGATED_JOB_STATES).join(', ')}.`,
      );
    for (const state of group) states.add(state);
  }
  const slurmStates = Object.values(JobState) as string[];
  for (const state of commaList(arg(params, 'job_state'))) {
    if (!slurmStates.includes(state))
      throw new ClockworkReply(
        400,
        `Unknown job_state ${state}: expected a Slurm job state such as RUNNING.`,
      );
    states.add(state);
  }
  const jobIds = commaList(arg(params, 'job_id'));
  const jobArray = intArg(params, 'job_array');

  const sortBy = arg(params, 'sort_by') ?? 'submit_time';
  const sort = SORTS[sortBy];
  if (!sort)
    throw new ClockworkReply(
      400,
      `Field 'sort_by' must be one of ${Object.keys(SORTS).join(', ')}: ${sortBy}.`,
    );
  const sortAsc = intArg(params, 'sort_asc');
  const ascending = sortAsc === 1 || sortAsc === -1 ? sortAsc === 1 : sort.ascending;

  const pageNum = intArg(params, 'page_num');
  const pageSize = intArg(params, 'nbr_items_per_page');
  const paged = Boolean(pageNum) || Boolean(pageSize);
  const relative = arg(params, 'relative_time');
  let relativeTimeSeconds: number | undefined;
  if (relative !== undefined) {
    relativeTimeSeconds = Number(relative.trim());
    if (relative.trim() === '' || Number.isNaN(relativeTimeSeconds))
      throw new ClockworkReply(
        400,
        `Field 'relative_time' cannot be cast as a valid float: ${relative}.`,
      );
    if (paged)
      throw new ClockworkReply(
        400,
        "Field 'relative_time' cannot be combined with page_num or nbr_items_per_page.",
      );
  }
  // Older Clockwork servers took `user` (`all`, `*` or empty: everyone); newer ones `username`.
  const older = arg(params, 'user');
  const username =
    arg(params, 'username') ??
    (older !== undefined && !['all', '*'].includes(older) ? older : undefined);
  return {
    filter: {
      ...(states.size > 0 ? { state: [...states] } : {}),
      ...(jobIds.length > 0 ? { jobIds } : {}),
      ...(jobArray !== undefined ? { arrayJobId: String(jobArray) } : {}),
    },
    ...(username !== undefined && username !== '' ? { username } : {}),
    clusters: commaList(arg(params, 'cluster_name')),
    ...(paged
      ? {
          page: {
            num: pageNum !== undefined && pageNum > 0 ? pageNum : 1,
            size: Math.min(
              pageSize !== undefined && pageSize > 0 ? pageSize : CLOCKWORK_DEFAULT_PAGE_SIZE,
              MAX_PAGE_LIMIT,
            ),
          },
        }
      : {}),
    sort: { field: sort.field, order: ascending ? 'asc' : 'desc' },
    wantCount: toBoolean(arg(params, 'want_count')),
    ...(relativeTimeSeconds !== undefined ? { relativeTimeSeconds } : {}),
  };
}

/** A job named by `job_id` (a string, or a number in a JSON body) and an optional cluster list. */
export interface ClockworkJobRef {
  readonly jobId: string;
  readonly clusters: readonly string[];
}

/** `job_id`: a string, or a number in a JSON body (the client passes either). */
function jobIdOf(params: RawParams): string {
  const raw = params['job_id'];
  const value: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  throw missingArgument('job_id');
}

/** `job_id` required (400 "Missing argument job_id."), `cluster_name` optional. */
export function parseJobRef(params: RawParams): ClockworkJobRef {
  return { jobId: jobIdOf(params), clusters: commaList(arg(params, 'cluster_name')) };
}

/** `job_id` and `cluster_name` both required, as the user_props routes have them. */
export function parsePropsRef(params: RawParams): { jobId: string; cluster: string } {
  const jobId = jobIdOf(params);
  const cluster = arg(params, 'cluster_name');
  if (cluster === undefined || cluster === '') throw missingArgument('cluster_name');
  return { jobId, cluster };
}

/** user_props/set's `updates`: a JSON object (Clockwork: 500 otherwise; here 400). */
export function parseUpdates(body: RawParams): Record<string, unknown> {
  const updates = body['updates'];
  if (updates === undefined || updates === null)
    throw new ClockworkReply(400, "Missing argument 'updates'.");
  if (typeof updates !== 'object' || Array.isArray(updates))
    throw new ClockworkReply(
      400,
      `Expected \`updates\` to be a dict, but instead it is of type ${pythonType(updates)}: ${JSON.stringify(updates)}.`,
    );
  return updates as Record<string, unknown>;
}

/** user_props/delete's `keys`: one key or a list of keys. */
export function parseKeys(body: RawParams): string[] {
  const keys = body['keys'];
  if (keys === undefined || keys === null)
    throw new ClockworkReply(400, "Missing argument 'keys'.");
  if (typeof keys === 'string') return [keys];
  if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) return keys;
  throw new ClockworkReply(
    400,
    `Expected \`keys\` to be a string or list of strings, instead it is of type ${pythonType(keys)}: ${JSON.stringify(keys)}.`,
  );
}

/** user_dict_update's `update_pairs`: a JSON object, sent as a JSON string in a form field. */
export function parseUpdatePairs(params: RawParams): Record<string, unknown> {
  const text = arg(params, 'update_pairs');
  if (text === undefined) throw new ClockworkReply(400, "Missing 'update_pairs' from arguments.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ClockworkReply(
      400,
      `Failed to json.loads(update_pairs). \n${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ClockworkReply(
      400,
      `Field 'update_pairs' was not a string (encoding a json structure). ${text}`,
    );
  return value as Record<string, unknown>;
}
