import type Database from 'better-sqlite3';
import type { ClusterAsOf, GetClusterAsOf, JobRecord, NodeRecord } from '@clocktower/contracts';
import { countByState, isLiveAt } from '../../domain/as-of.fold.js';
import { toIsoUtc } from '../../domain/iso-time.js';
import type { JobViewState } from '../../domain/job-view.projection.js';
import type { NodeViewState } from '../../domain/node-view.projection.js';
import { decodeCursor, encodeCursor } from '../../domain/page-cursor.js';
import { InvalidQueryError } from '../../domain/projection.errors.js';
import { type PastViews } from './history-rows.js';
import { inClusterScope } from './job-detail.query.js';
import { viewOfRow } from './job-writer.js';
import { nodeViewOfRow } from './node-writer.js';
import { pageLimit, pageOffset } from './paging.js';

interface CandidateRow {
  id: number;
  stream: string;
  record: string;
  updated_at: string;
  position: number;
  first_at: string;
  active_to: string;
}

interface NodeRow {
  id: number;
  stream: string;
  record: string;
  updated_at: string;
  position: number;
  first_at: string;
  removed: number;
}

/**
 * A cluster as it was at a past time T, from history: the jobs that existed at T (first seen at or
 * before it) and were not in a final state then, each folded up to T, and every node folded up to
 * T. Only rows changed after T are folded again; the others are as they are now.
 */
export class AsOfQuery {
  private readonly stmt;

  constructor(
    db: Database.Database,
    private readonly past: PastViews,
  ) {
    this.stmt = {
      cluster: db.prepare<[string], { cluster: string }>(
        'SELECT cluster FROM clusters WHERE cluster = ?',
      ),
      // active_to is when the job last became final (or OPEN_END): later than T means live at T,
      // unless a requeue after T hides an end before it (the fold below checks).
      jobs: db.prepare<[string, string, string], CandidateRow>(
        `SELECT id, stream, record, updated_at, position, first_at, active_to FROM jobs
         WHERE cluster = ? AND active_to > ? AND first_at <= ? ORDER BY id`,
      ),
      nodes: db.prepare<[string, string], NodeRow>(
        `SELECT id, stream, record, updated_at, position, first_at, removed FROM nodes
         WHERE cluster = ? AND first_at <= ? ORDER BY name`,
      ),
    };
  }

  run(query: GetClusterAsOf): ClusterAsOf | null {
    if (!inClusterScope(query, query.cluster)) return null;
    if (!this.stmt.cluster.get(query.cluster)) return null;
    const time = toIsoUtc(query.time);
    if (time === null) throw new InvalidQueryError('time', `not an ISO 8601 time: ${query.time}`);
    const limit = pageLimit(query.limit);
    if (query.cursor !== undefined && query.page !== undefined)
      throw new InvalidQueryError('page', 'page and cursor are exclusive');
    const cursor =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor, 'as-of', time, 0);

    const live: { id: number; view: JobViewState }[] = [];
    for (const row of this.stmt.jobs.all(query.cluster, time, time)) {
      const view =
        row.updated_at <= time
          ? viewOfRow(row.stream, row)
          : (this.past.atTime('job', row.id, row.stream, time) as JobViewState | undefined);
      if (!isLiveAt(view)) continue;
      if (query.onlyUser !== undefined && view.record.user !== query.onlyUser) continue;
      live.push({ id: row.id, view });
    }
    const start =
      cursor !== undefined
        ? live.findIndex((j) => j.id > cursor.id)
        : pageOffset(query.page, limit);
    const from = start < 0 ? live.length : start;
    const page = live.slice(from, from + limit);
    const last = page.at(-1);
    const more = from + limit < live.length;

    const nodes: NodeRecord[] = [];
    for (const row of this.stmt.nodes.all(query.cluster, time)) {
      const view =
        row.updated_at <= time
          ? nodeViewOfRow(row.stream, row)
          : (this.past.atTime('node', row.id, row.stream, time) as NodeViewState | undefined);
      if (view && !view.removed) nodes.push(view.record);
    }
    return {
      cluster: query.cluster,
      time,
      jobs: {
        items: page.map(({ view }): JobRecord & { stream: string } => ({
          ...view.record,
          stream: view.stream,
        })),
        total: live.length,
        nextCursor:
          more && last
            ? encodeCursor({ kind: 'as-of', sort: time, values: [], id: last.id })
            : null,
      },
      jobsByState: countByState(live.map((j) => j.view.record)),
      nodes,
    };
  }
}
