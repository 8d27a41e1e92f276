import type Database from 'better-sqlite3';
import type {
  ChangeEntry,
  ChangeFeed,
  GetClusterChanges,
  Page,
  ReadChanges,
} from '@clocktower/contracts';
import { toIsoUtc } from '../../domain/iso-time.js';
import { decodeCursor, encodeCursor } from '../../domain/page-cursor.js';
import { InvalidQueryError } from '../../domain/projection.errors.js';
import { changeEntries, HISTORY_COLUMNS, type HistoryRow, type PastViews } from './history-rows.js';
import { inClusterScope } from './job-detail.query.js';
import { hasJobOnlyFilter, jobFilterSql, type SqlParam } from './job-filter.sql.js';
import { pageLimit, pageOffset } from './paging.js';
import { HistoryKind } from './read-model.schema.js';

/** The change feed's page when none is asked for: a few seconds of a busy cluster. */
export const DEFAULT_CHANGE_LIMIT = 200;
/**
 * History rows one readChanges call looks through at most. A narrow filter may match nothing in a
 * long stretch of history; the call then still returns quickly, with lastPosition moved on.
 */
export const CHANGE_SCAN_ROWS = 10_000;

function iso(field: string, value: string): string {
  const time = toIsoUtc(value);
  if (time === null) throw new InvalidQueryError(field, `not an ISO 8601 time: ${value}`);
  return time;
}

/** What changed: a cluster's changes between two times, and the change feed after a position. */
export class ChangesQuery {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly stmt;

  constructor(
    private readonly db: Database.Database,
    private readonly past: PastViews,
  ) {
    this.stmt = {
      scanEnd: db.prepare<[number, number], { position: number }>(
        'SELECT position FROM history WHERE position > ? ORDER BY position LIMIT 1 OFFSET ?',
      ),
    };
  }

  /** Job, node and cluster events observed in (from, to], oldest first. */
  clusterChanges(query: GetClusterChanges): Page<ChangeEntry> {
    const limit = pageLimit(query.limit);
    const from = iso('from', query.from);
    const to = iso('to', query.to);
    if (query.cursor !== undefined && query.page !== undefined)
      throw new InvalidQueryError('page', 'page and cursor are exclusive');
    if (!inClusterScope(query, query.cluster)) return { items: [], total: 0, nextCursor: null };
    const terms = ['h.cluster = ?', 'h.occurred_at > ?', 'h.occurred_at <= ?'];
    const params: SqlParam[] = [query.cluster, from, to];
    if (query.onlyUser !== undefined) {
      terms.push(`(h.kind <> ${HistoryKind.job} OR h.user = ?)`);
      params.push(query.onlyUser);
    }
    const where = terms.join(' AND ');
    const total = (
      this.prepare(`SELECT COUNT(*) AS n FROM history h WHERE ${where}`).get(...params) as {
        n: number;
      }
    ).n;
    let keyset = '';
    const keyParams: SqlParam[] = [];
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor, 'changes', `${from}/${to}`, 1);
      keyset = ' AND (h.occurred_at, h.position) > (?, ?)';
      keyParams.push(cursor.values[0] ?? '', cursor.id);
    }
    const rows = this.prepare(
      `SELECT ${HISTORY_COLUMNS} FROM history h WHERE ${where}${keyset}
       ORDER BY h.occurred_at, h.position LIMIT ? OFFSET ?`,
    ).all(
      ...params,
      ...keyParams,
      limit + 1,
      query.cursor === undefined ? pageOffset(query.page, limit) : 0,
    ) as HistoryRow[];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: changeEntries(this.past, page),
      total,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({
              kind: 'changes',
              sort: `${from}/${to}`,
              values: [last.occurred_at],
              id: last.position,
            })
          : null,
    };
  }

  /**
   * Changes after a position, oldest first, filtered like a job list: a job change by the job's
   * user, account, partition and state as they stood after it (its name, ids, times and nodes as
   * they are now); a node change unless a job-only filter is set; a cluster's own event only when
   * nothing but cluster and scope filter.
   */
  readChanges(query: ReadChanges, checkpoint: number): ChangeFeed {
    const limit = pageLimit(query.limit, DEFAULT_CHANGE_LIMIT);
    const after = Number(query.afterPosition);
    if (!Number.isSafeInteger(after))
      throw new InvalidQueryError('afterPosition', 'must be a decimal position');
    const projectedPosition = String(checkpoint);
    if (after >= checkpoint) return { items: [], lastPosition: String(after), projectedPosition };
    const end = this.stmt.scanEnd.get(after, CHANGE_SCAN_ROWS - 1)?.position ?? checkpoint;

    const { sql: kinds, params: kindParams, never } = feedFilter(query);
    if (never) return { items: [], lastPosition: String(end), projectedPosition };
    const rows = this.prepare(
      `SELECT ${HISTORY_COLUMNS} FROM history h LEFT JOIN jobs j ON h.kind = ${HistoryKind.job} AND j.id = h.ref
       WHERE h.position > ? AND h.position <= ? AND (${kinds}) ORDER BY h.position LIMIT ?`,
    ).all(after, end, ...kindParams, limit) as HistoryRow[];
    const lastPosition = rows.length === limit ? rows.at(-1)!.position : end;
    return {
      items: changeEntries(this.past, rows),
      lastPosition: String(lastPosition),
      projectedPosition,
    };
  }

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

/** The feed's WHERE clause: one branch per kind of change. */
function feedFilter(query: ReadChanges): { sql: string; params: SqlParam[]; never: boolean } {
  const branches: string[] = [];
  const params: SqlParam[] = [];

  const jobs = jobFilterSql(query, { prefix: 'h.', jobPrefix: 'j.' });
  if (!jobs.never) {
    branches.push([`h.kind = ${HistoryKind.job}`, ...jobs.terms].join(' AND '));
    params.push(...jobs.params);
  }

  if (!hasJobOnlyFilter(query)) {
    const scope = clusterTerms(query);
    if (!scope.never) {
      const node = [`h.kind = ${HistoryKind.node}`, ...scope.terms];
      const nodeParams = [...scope.params];
      if (query.node !== undefined) {
        node.push('h.key = ?');
        nodeParams.push(query.node);
      }
      if (query.partition !== undefined) {
        node.push(
          'EXISTS (SELECT 1 FROM nodes n WHERE n.id = h.ref AND instr(n.partitions, ?) > 0)',
        );
        nodeParams.push(`,${query.partition},`);
      }
      branches.push(node.join(' AND '));
      params.push(...nodeParams);
      if (query.node === undefined && query.partition === undefined) {
        branches.push([`h.kind = ${HistoryKind.cluster}`, ...scope.terms].join(' AND '));
        params.push(...scope.params);
      }
    }
  }
  if (branches.length === 0) return { sql: '0', params, never: true };
  return { sql: branches.map((b) => `(${b})`).join(' OR '), params, never: false };
}

function clusterTerms(query: ReadChanges): { terms: string[]; params: SqlParam[]; never: boolean } {
  const terms: string[] = [];
  const params: SqlParam[] = [];
  let never = false;
  if (query.cluster !== undefined) {
    terms.push('h.cluster = ?');
    params.push(query.cluster);
    if (query.onlyClusters !== undefined && !query.onlyClusters.includes(query.cluster))
      never = true;
  } else if (query.onlyClusters !== undefined) {
    if (query.onlyClusters.length === 0) never = true;
    terms.push(`h.cluster IN (${query.onlyClusters.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...query.onlyClusters);
  }
  return { terms, params, never };
}
