import type Database from 'better-sqlite3';
import type { ListNodes, NodeHistory, NodeRecord, NodeView, Page } from '@clocktower/contracts';
import { decodeCursor, encodeCursor } from '../../domain/page-cursor.js';
import { InvalidQueryError } from '../../domain/projection.errors.js';
import { historyEntry, HISTORY_COLUMNS, type HistoryRow } from './history-rows.js';
import { inClusterScope } from './job-detail.query.js';
import type { SqlParam } from './job-filter.sql.js';
import { pageLimit, pageOffset } from './paging.js';
import type { Scope } from './read-model.port.js';
import { HistoryKind } from './read-model.schema.js';

interface NodeRow {
  id: number;
  stream: string;
  cluster: string;
  name: string;
  updated_at: string;
  position: number;
  removed: number;
  record: string;
}

const NODE_COLUMNS = 'id, stream, cluster, name, updated_at, position, removed, record';

export function nodeView(row: NodeRow): NodeView {
  return {
    ...(JSON.parse(row.record) as NodeRecord),
    stream: row.stream,
    updatedAt: row.updated_at,
    position: String(row.position),
    removed: row.removed === 1,
  };
}

/** Nodes: the list (by cluster, then name) with its filters, one node, a node's history. */
export class NodeQuery {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      one: db.prepare<[string, string], NodeRow>(
        `SELECT ${NODE_COLUMNS} FROM nodes WHERE cluster = ? AND name = ?`,
      ),
      history: db.prepare<[number], HistoryRow>(
        `SELECT ${HISTORY_COLUMNS} FROM history h WHERE h.kind = ${HistoryKind.node} AND h.ref = ? ORDER BY h.position`,
      ),
    };
  }

  /** Nodes present now (a removed node is still found by getNode, with its history). */
  listNodes(query: ListNodes): Page<NodeView> {
    const limit = pageLimit(query.limit);
    if (query.cursor !== undefined && query.page !== undefined)
      throw new InvalidQueryError('page', 'page and cursor are exclusive');
    const terms = ['removed = 0'];
    const params: SqlParam[] = [];
    const add = (term: string, ...values: SqlParam[]): void => {
      terms.push(term);
      params.push(...values);
    };
    if (query.onlyClusters !== undefined) {
      if (query.onlyClusters.length === 0) return { items: [], total: 0, nextCursor: null };
      add(`cluster IN (${query.onlyClusters.map(() => '?').join(', ')})`, ...query.onlyClusters);
    }
    if (query.cluster !== undefined) add('cluster = ?', query.cluster);
    if (query.state !== undefined) {
      if (query.state.length === 0) return { items: [], total: 0, nextCursor: null };
      add(`state IN (${query.state.map(() => '?').join(', ')})`, ...query.state);
    }
    if (query.flag !== undefined) add('instr(flags, ?) > 0', `,${query.flag},`);
    if (query.partition !== undefined) add('instr(partitions, ?) > 0', `,${query.partition},`);
    if (query.gpuType !== undefined) add('gpu_type = ?', query.gpuType);
    const where = `WHERE ${terms.join(' AND ')}`;
    const total = (
      this.prepare(`SELECT COUNT(*) AS n FROM nodes ${where}`).get(...params) as {
        n: number;
      }
    ).n;

    let keyset = '';
    const keyParams: SqlParam[] = [];
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor, 'nodes', 'name', 2);
      keyset = ' AND (cluster, name, id) > (?, ?, ?)';
      keyParams.push(...cursor.values, cursor.id);
    }
    const rows = this.prepare(
      `SELECT ${NODE_COLUMNS} FROM nodes ${where}${keyset} ORDER BY cluster, name, id LIMIT ? OFFSET ?`,
    ).all(
      ...params,
      ...keyParams,
      limit + 1,
      query.cursor === undefined ? pageOffset(query.page, limit) : 0,
    ) as NodeRow[];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(nodeView),
      total,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({
              kind: 'nodes',
              sort: 'name',
              values: [last.cluster, last.name],
              id: last.id,
            })
          : null,
    };
  }

  getNode(cluster: string, name: string, scope: Scope): NodeView | null {
    if (!inClusterScope(scope, cluster)) return null;
    const row = this.stmt.one.get(cluster, name);
    return row ? nodeView(row) : null;
  }

  getNodeHistory(cluster: string, name: string, scope: Scope): NodeHistory | null {
    if (!inClusterScope(scope, cluster)) return null;
    const row = this.stmt.one.get(cluster, name);
    if (!row) return null;
    return {
      cluster,
      name,
      stream: row.stream,
      events: this.stmt.history.all(row.id).map(historyEntry),
    };
  }

  private prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size > 200) this.statements.clear();
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}
