import type Database from 'better-sqlite3';
import {
  type JobSortField,
  type JobView,
  type ListJobs,
  type Page,
  type SortOrder,
} from '@clocktower/contracts';
import { decodeCursor, encodeCursor, type PageCursor } from '../../domain/page-cursor.js';
import { InvalidQueryError } from '../../domain/projection.errors.js';
import { jobFilterSql, type SqlFilter, type SqlParam } from './job-filter.sql.js';
import { decodeJobRecord, jobViewJson } from './job-record.codec.js';
import { JOBS_USER_STATE } from './read-model.schema.js';
import { pageLimit, pageOffset } from './paging.js';

/**
 * With no sort asked for: newest submitted first, as a queue or a history is read. A sort asked
 * for without an order is ascending, the usual meaning of `?sort=field`.
 */
export const DEFAULT_JOB_SORT: JobSortField = 'submitTime';
export const DEFAULT_JOB_ORDER: SortOrder = 'desc';
export const DEFAULT_ORDER_OF_A_SORT: SortOrder = 'asc';

/**
 * A state filter matching more jobs than this is checked while walking the sort order's index
 * rather than looked up through the state index: many matches mean a page is found early, while
 * gathering them all to sort would read every one. What counts is how many jobs have the states,
 * whatever the other filters: the state index walks them all, and with another filter (user,
 * cluster) it reads each one's row to check it. 3,700 running jobs of which a user has 176 cost
 * 540 µs through the state index, 60 µs walking the user's index, newest first.
 */
const DENSE_STATE_MATCHES = 2_000;

/**
 * With a user filter, jobs_user_state finds the user's jobs in each state directly. Up to this many
 * matches they are read there (and sorted), whatever the sort; beyond it, only a single state in
 * submit-time order is (the index's own order), else the planner or the walk above decides. On
 * the 1,000,000-job model, walking the user's index found few matches slowly: 16 pending jobs among
 * 49,632 of a user's took 3.3 ms, none at all 2.4 ms; 0.09 and 0.05 ms looked up. 161 running ones
 * (six states) looked up and sorted took 211 µs, walked 168 µs: sorting is what the limit bounds.
 */
export const SPARSE_USER_MATCHES = 100;

interface SortSpec {
  /** May be null: rows without it come last in both directions. */
  readonly primary: string;
  readonly nullable: boolean;
  readonly secondary: readonly string[];
}

const SORTS: Readonly<Record<JobSortField, SortSpec>> = {
  submitTime: { primary: 'submit_time', nullable: true, secondary: [] },
  eligibleTime: { primary: 'eligible_time', nullable: true, secondary: [] },
  startTime: { primary: 'start_time', nullable: true, secondary: [] },
  endTime: { primary: 'end_time', nullable: true, secondary: [] },
  updatedAt: { primary: 'updated_at', nullable: false, secondary: [] },
  // Numeric-aware: 9 before 10; the text breaks ties (123 before 123_4).
  jobId: { primary: 'job_id_num', nullable: true, secondary: ['job_id'] },
  user: { primary: 'user', nullable: false, secondary: [] },
  state: { primary: 'state', nullable: false, secondary: [] },
};

interface JobRow {
  id: number;
  stream: string;
  updated_at: string;
  position: number;
  record: string;
}
/** A row of the walk: its sort values (for the cursor) and what the page shows of it. */
type KeyRow = JobRow & Record<string, SqlParam>;

/** What a page shows of each job, read in the same statement as the sort order's walk. */
const VIEW_COLUMNS = ['stream', 'updated_at', 'position', 'record'] as const;

/** One phase of the keyset walk: the rows that have the sort value, or those that have none. */
interface Phase {
  readonly nulls: boolean;
  readonly after?: PageCursor;
  readonly limit: number;
  readonly offset: number;
}

/**
 * listJobs: the filters as SQL, keyset paging over (sort value, id) with rows lacking the sort
 * value after all others whichever the direction, and the total from job_counts where the filters
 * allow. One statement walks the sort order's index and returns the page's rows, views included.
 */
export class JobListQuery {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  run(query: ListJobs): Page<JobView> {
    const { rows, total, nextCursor } = this.select(query);
    return { items: rows.map(jobView), total, nextCursor };
  }

  /**
   * The same page as JSON text (JSON.stringify of `run`'s answer), joined from the stored records
   * without parsing them: what job-projection sends the gateway, which passes it on as it is.
   */
  runJson(query: ListJobs): string {
    const { rows, total, nextCursor } = this.select(query);
    let items = '';
    for (const row of rows) {
      const view = jobViewJson(row.record, row.stream, row.updated_at, row.position);
      items = items === '' ? view : `${items},${view}`;
    }
    return `{"items":[${items}],"total":${total},"nextCursor":${JSON.stringify(nextCursor)}}`;
  }

  private select(query: ListJobs): { rows: JobRow[]; total: number; nextCursor: string | null } {
    const limit = pageLimit(query.limit);
    const sort = query.sort ?? DEFAULT_JOB_SORT;
    const order =
      query.order ?? (query.sort === undefined ? DEFAULT_JOB_ORDER : DEFAULT_ORDER_OF_A_SORT);
    const spec = SORTS[sort];
    if (!spec) throw new InvalidQueryError('sort', `unknown sort field ${String(sort)}`);
    if (query.cursor !== undefined && query.page !== undefined)
      throw new InvalidQueryError('page', 'page and cursor are exclusive');
    const sortKey = `${sort}:${order}`;
    const cursor =
      query.cursor === undefined
        ? undefined
        : decodeCursor(query.cursor, 'jobs', sortKey, 1 + spec.secondary.length);

    const probe = jobFilterSql(query);
    if (probe.never) return { rows: [], total: 0, nextCursor: null };
    const total = this.total(probe);
    const { filter, index } = this.plan(query, probe, total, sort);

    const want = limit + 1;
    const rows: KeyRow[] = [];
    const dir = order === 'asc' ? 'ASC' : 'DESC';
    const fetch = (phase: Phase): void => {
      rows.push(...this.keys(filter, index, spec, dir, phase));
    };
    if (cursor !== undefined) {
      if (cursor.values[0] !== null) {
        fetch({ nulls: false, after: cursor, limit: want, offset: 0 });
        if (spec.nullable && rows.length < want)
          fetch({ nulls: true, limit: want - rows.length, offset: 0 });
      } else if (spec.nullable) fetch({ nulls: true, after: cursor, limit: want, offset: 0 });
    } else {
      const offset = pageOffset(query.page, limit);
      fetch({ nulls: false, limit: want, offset });
      if (spec.nullable && rows.length < want) {
        const withValue =
          rows.length > 0 ? offset + rows.length : this.countWithValue(filter, spec);
        fetch({
          nulls: true,
          limit: want - rows.length,
          offset: Math.max(0, offset - withValue),
        });
      }
    }
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last !== undefined
        ? encodeCursor({
            kind: 'jobs',
            sort: sortKey,
            values: [last[spec.primary] ?? null, ...spec.secondary.map((c) => last[c] ?? null)],
            id: last.id,
          })
        : null;
    return { rows: page, total, nextCursor };
  }

  private total(filter: SqlFilter): number {
    const where = filter.terms.length > 0 ? `WHERE ${filter.terms.join(' AND ')}` : '';
    const sql = filter.totalsOnly
      ? `SELECT COALESCE(SUM(n), 0) AS n FROM job_totals ${where}`
      : filter.countable
        ? `SELECT COALESCE(SUM(n), 0) AS n FROM job_counts ${where}`
        : `SELECT COUNT(*) AS n FROM jobs ${where}`;
    return (this.prepare(sql).get(...filter.params) as { n: number }).n;
  }

  /**
   * How a state filter is answered: a user's jobs looked up in jobs_user_state (SPARSE_USER_MATCHES),
   * the state checked while walking the sort order's index (DENSE_STATE_MATCHES), or as the planner
   * sees fit.
   */
  private plan(
    query: ListJobs,
    probe: SqlFilter,
    total: number,
    sort: JobSortField,
  ): { filter: SqlFilter; index: string | null } {
    const states = probe.states;
    if (states === null) return { filter: probe, index: null };
    const user = query.user !== undefined || query.onlyUser !== undefined;
    if (user && (total <= SPARSE_USER_MATCHES || (states.length === 1 && sort === 'submitTime')))
      return { filter: probe, index: JOBS_USER_STATE };
    const dense = total > DENSE_STATE_MATCHES || this.jobsInStates(states) > DENSE_STATE_MATCHES;
    return { filter: dense ? jobFilterSql(query, { stateByScan: true }) : probe, index: null };
  }

  /** Jobs in these states on every cluster, from job_totals (a few rows per cluster). */
  private jobsInStates(states: readonly string[]): number {
    const sql = `SELECT COALESCE(SUM(n), 0) AS n FROM job_totals WHERE state IN (${states.map(() => '?').join(', ')})`;
    return (this.prepare(sql).get(...states) as { n: number }).n;
  }

  private countWithValue(filter: SqlFilter, spec: SortSpec): number {
    const terms = [...filter.terms, `${spec.primary} IS NOT NULL`];
    const sql = `SELECT COUNT(*) AS n FROM jobs WHERE ${terms.join(' AND ')}`;
    return (this.prepare(sql).get(...filter.params) as { n: number }).n;
  }

  private keys(
    filter: SqlFilter,
    index: string | null,
    spec: SortSpec,
    dir: 'ASC' | 'DESC',
    phase: Phase,
  ): KeyRow[] {
    const terms = [...filter.terms];
    const params = [...filter.params];
    const keyColumns = phase.nulls
      ? [...spec.secondary, 'id']
      : [spec.primary, ...spec.secondary, 'id'];
    if (spec.nullable) terms.push(`${spec.primary} IS ${phase.nulls ? '' : 'NOT '}NULL`);
    if (phase.after) {
      const values = phase.nulls ? phase.after.values.slice(1) : phase.after.values;
      const op = dir === 'ASC' ? '>' : '<';
      terms.push(`(${keyColumns.join(', ')}) ${op} (${keyColumns.map(() => '?').join(', ')})`);
      params.push(...values, phase.after.id);
    }
    const where = terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '';
    // The view's columns come with the walk: SQLite seeks a row in the table for them only when it
    // returns that row (its seek is deferred), never for rows the index lets it skip or filter out,
    // and no second statement looks the page's ids up again.
    const columns = [...new Set(['id', spec.primary, ...spec.secondary, ...VIEW_COLUMNS])];
    const sql =
      `SELECT ${columns.join(', ')} FROM jobs ${index === null ? '' : `INDEXED BY ${index} `}${where} ` +
      `ORDER BY ${keyColumns.map((c) => `${c} ${dir}`).join(', ')} LIMIT ? OFFSET ?`;
    return this.prepare(sql).all(...params, phase.limit, phase.offset) as KeyRow[];
  }

  /** Statements are cached by their text: a filter combination is prepared once. */
  private prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size > 500) this.statements.clear();
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}

export function jobView(row: Omit<JobRow, 'id'>): JobView {
  return {
    ...decodeJobRecord(row.record),
    stream: row.stream,
    updatedAt: row.updated_at,
    position: String(row.position),
  };
}
