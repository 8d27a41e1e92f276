import type Database from 'better-sqlite3';
import type { NodeRecord } from '@clocktower/contracts';
import type { NodeViewState } from '../../domain/node-view.projection.js';

export interface NodeEntry {
  readonly id: number;
  view: NodeViewState;
  inserted: boolean;
}

interface NodeRow {
  id: number;
  record: string;
  updated_at: string;
  position: number;
  first_at: string;
  removed: number;
}

export function nodeViewOfRow(stream: string, row: Omit<NodeRow, 'id'>): NodeViewState {
  return {
    stream,
    record: JSON.parse(row.record) as NodeRecord,
    updatedAt: row.updated_at,
    position: row.position,
    firstAt: row.first_at,
    removed: row.removed === 1,
  };
}

/** `,A,B,`: a flag or partition filter is then one instr() on the row, with no false prefix match. */
export const listColumn = (items: readonly string[]): string => `,${items.join(',')},`;

/**
 * Writes node views to the nodes table, one write per node per batch. Nodes are few (thousands)
 * and change often (an allocation change per job start and end), so all of them stay in memory.
 * Write-back (a bulk load): written once, at endWriteBack(), instead of at every batch's end.
 */
export class NodeWriter {
  private readonly cache = new Map<string, NodeEntry>();
  private readonly dirty = new Set<NodeEntry>();
  private nextId = 1;
  private readonly stmt;

  constructor(
    db: Database.Database,
    private writeBack = false,
  ) {
    this.stmt = {
      byStream: db.prepare<[string], NodeRow>(
        'SELECT id, record, updated_at, position, first_at, removed FROM nodes WHERE stream = ?',
      ),
      maxId: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM nodes'),
      upsert: db.prepare(
        `INSERT INTO nodes (id, stream, cluster, name, state, flags, partitions, gpu_type, removed,
           first_at, updated_at, position, record)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, flags = excluded.flags,
           partitions = excluded.partitions, gpu_type = excluded.gpu_type,
           removed = excluded.removed, updated_at = excluded.updated_at,
           position = excluded.position, record = excluded.record`,
      ),
    };
    this.reset();
  }

  reset(): void {
    this.cache.clear();
    this.dirty.clear();
    this.nextId = (this.stmt.maxId.get()?.id ?? 0) + 1;
  }

  get(stream: string): NodeEntry | undefined {
    const cached = this.cache.get(stream);
    if (cached) return cached;
    const row = this.stmt.byStream.get(stream);
    if (!row) return undefined;
    const entry: NodeEntry = { id: row.id, view: nodeViewOfRow(stream, row), inserted: true };
    this.cache.set(stream, entry);
    return entry;
  }

  put(entry: NodeEntry | undefined, view: NodeViewState): NodeEntry {
    const next = entry ?? { id: this.nextId++, view, inserted: false };
    if (!entry) this.cache.set(view.stream, next);
    next.view = view;
    this.dirty.add(next);
    return next;
  }

  /** At a batch's end: writes every node changed since the last flush (not when writing back). */
  flush(): void {
    if (!this.writeBack) this.writeDirty();
  }

  /** A bulk load's end: writes every changed node; from now on, every batch's end does. */
  endWriteBack(): void {
    this.writeDirty();
    this.writeBack = false;
  }

  private writeDirty(): void {
    for (const entry of this.dirty) {
      const { view } = entry;
      const r = view.record;
      this.stmt.upsert.run(
        entry.id,
        view.stream,
        r.cluster,
        r.name,
        r.state,
        listColumn(r.flags),
        listColumn(r.partitions),
        r.gpuType ?? null,
        view.removed ? 1 : 0,
        view.firstAt,
        view.updatedAt,
        view.position,
        JSON.stringify(r),
      );
      entry.inserted = true;
    }
    this.dirty.clear();
  }
}
