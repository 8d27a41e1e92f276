import type Database from 'better-sqlite3';
import { expandHostList } from '@clocktower/contracts';
import type { JobViewState } from '../../domain/job-view.projection.js';
import {
  changedIndexedColumns,
  countKey,
  IndexedColumn,
  jobColumns,
  type JobColumns,
} from './job-columns.js';
import type { HistoryCell } from './history-loader.js';
import { decodeJobRecord, encodeJobRecord } from './job-record.codec.js';
import { OPEN_END } from './read-model.schema.js';

/** A job being folded: its view and what its row holds now (null: no row yet). */
export interface JobEntry {
  readonly id: number;
  view: JobViewState;
  stored: JobColumns | null;
  nodesIndexed: string | null;
  /** Read again since it last reached the cache's old end (see evict). */
  used: boolean;
}

/** The statement that records a job's nodes (a bulk load's loader uses it too). */
export const JOB_NODE_INSERT =
  'INSERT OR IGNORE INTO job_nodes (node, cluster, job) VALUES (?, ?, ?)';

/** How many job views stay in memory between batches (the jobs still changing, in practice). */
export const DEFAULT_JOB_CACHE = 50_000;

/**
 * The same during a bulk load (a rebuild), where a job leaving the cache is written then and not at
 * the end. 1,000,000 events of the rebuild benchmark hold 132,000 jobs: with all of them in memory
 * the rebuild's main thread used 10.4-11.6 s of CPU, with 50,000 12.1-13.3 s, for about 150 MB more
 * at its peak (1.1 KB per job). Bounded all the same: a longer history evicts, and costs that again.
 */
export const DEFAULT_BULK_JOB_CACHE = 250_000;

interface JobRow {
  id: number;
  record: string;
  updated_at: string;
  position: number;
  first_at: string;
  active_to: string;
}

export function viewOfRow(stream: string, row: Omit<JobRow, 'id'>): JobViewState {
  return {
    stream,
    record: decodeJobRecord(row.record),
    updatedAt: row.updated_at,
    position: row.position,
    firstAt: row.first_at,
    finalAt: row.active_to === OPEN_END ? null : row.active_to,
  };
}

const MASKED_COLUMNS: readonly [number, string, (c: JobColumns) => string | null][] = [
  [IndexedColumn.State, 'state', (c) => c.state],
  [IndexedColumn.ActiveTo, 'active_to', (c) => c.activeTo],
  [IndexedColumn.SubmitTime, 'submit_time', (c) => c.submitTime],
  [IndexedColumn.User, 'user', (c) => c.user],
  [IndexedColumn.Partition, 'partition', (c) => c.partition],
  [IndexedColumn.ArrayJobId, 'array_job_id', (c) => c.arrayJobId],
];

/**
 * Writes job views to the jobs table, one row write per job per batch however many of its events
 * the batch holds, and keeps job_counts and job_nodes in step. Views being folded stay in a
 * bounded cache, so a batch does not read and parse a row per event.
 *
 * Write-back (a bulk load, where nothing reads the table until endWriteBack()): a changed job is
 * written only when it leaves the cache or at endWriteBack(), not at every batch's end. A job's events are spread
 * over its whole life (submitted, pending, started, ended: thousands of other events apart), so a
 * row per batch meant about one row write per job event; written back, a job whose events all come
 * while it is cached is written once.
 */
export class JobWriter {
  private readonly cache = new Map<string, JobEntry>();
  private readonly dirty = new Set<JobEntry>();
  private readonly updates = new Map<number, Database.Statement>();
  private readonly countDeltas = new Map<string, { cols: JobColumns; n: number }>();
  private nextId = 1;
  private readonly stmt;
  /** job_nodes rows kept for a bulk load's loader (takeJobNodeRows) instead of inserted; or null. */
  private jobNodeRows: HistoryCell[] | null;

  constructor(
    private readonly db: Database.Database,
    private readonly capacity = DEFAULT_JOB_CACHE,
    private writeBack = false,
    /** Keep job_nodes rows for takeJobNodeRows (a bulk load whose loader inserts them). */
    collectJobNodes = false,
  ) {
    this.jobNodeRows = collectJobNodes ? [] : null;
    this.stmt = {
      byStream: db.prepare<[string], JobRow>(
        'SELECT id, record, updated_at, position, first_at, active_to FROM jobs WHERE stream = ?',
      ),
      maxId: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM jobs'),
      insert: db.prepare(
        `INSERT INTO jobs (id, stream, cluster, job_id, job_id_num, array_job_id, user, account,
           partition, state, name_lc, submit_time, eligible_time, start_time, end_time, updated_at,
           position, first_at, first_submit, active_to, record)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      count: db.prepare(
        `INSERT INTO job_counts (cluster, partition, user, account, state, n) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET n = n + excluded.n`,
      ),
      total: db.prepare(
        `INSERT INTO job_totals (cluster, partition, state, n) VALUES (?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET n = n + excluded.n`,
      ),
      dropZero: db.prepare(
        `DELETE FROM job_counts
         WHERE cluster = ? AND partition = ? AND user = ? AND account = ? AND state = ? AND n = 0`,
      ),
      jobNode: db.prepare(JOB_NODE_INSERT),
    };
    this.reset();
  }

  /** Forgets what is in memory (after a failed transaction: the table is the truth). */
  reset(): void {
    this.cache.clear();
    this.dirty.clear();
    this.countDeltas.clear();
    if (this.jobNodeRows) this.jobNodeRows = [];
    this.nextId = (this.stmt.maxId.get()?.id ?? 0) + 1;
  }

  /**
   * The job_nodes rows kept since the last call (node, cluster, job id, one after another); with
   * `last`, later ones are inserted here again.
   */
  takeJobNodeRows(last = false): HistoryCell[] {
    const rows = this.jobNodeRows ?? [];
    this.jobNodeRows = last || this.jobNodeRows === null ? null : [];
    return rows;
  }

  /** The job's entry, from memory or its row; undefined for a stream not seen yet. */
  get(stream: string): JobEntry | undefined {
    const cached = this.cache.get(stream);
    if (cached) {
      cached.used = true;
      return cached;
    }
    const row = this.stmt.byStream.get(stream);
    if (!row) return undefined;
    const view = viewOfRow(stream, row);
    const entry: JobEntry = {
      id: row.id,
      view,
      stored: jobColumns(view),
      nodesIndexed: view.record.nodes,
      used: false,
    };
    this.cache.set(stream, entry);
    return entry;
  }

  /** Sets the job's new view (creating its entry, with a new id, on the first event). */
  put(entry: JobEntry | undefined, view: JobViewState): JobEntry {
    const next = entry ?? {
      id: this.nextId++,
      view,
      stored: null,
      nodesIndexed: null,
      used: false,
    };
    if (!entry) this.cache.set(view.stream, next);
    next.view = view;
    this.dirty.add(next);
    return next;
  }

  /**
   * At a batch's end: writes every job changed since the last flush (write-back: evicted ones).
   * Written back, the count deltas are kept until endWriteBack too: one row write per count key
   * for the whole load instead of one per key per batch.
   */
  flush(): void {
    if (!this.writeBack) this.writeDirty();
    this.evict();
    if (!this.writeBack) this.writeCounts();
  }

  /** A bulk load's end: writes every changed job; from now on, every batch's end does. */
  endWriteBack(): void {
    this.writeDirty();
    this.writeCounts();
    this.writeBack = false;
  }

  private writeDirty(): void {
    for (const entry of this.dirty) this.write(entry);
    this.dirty.clear();
  }

  private writeCounts(): void {
    for (const { cols, n } of this.countDeltas.values()) {
      if (n === 0) continue;
      const key = [cols.cluster, cols.partition ?? '', cols.user, cols.account ?? '', cols.state];
      this.stmt.count.run(...key, n);
      this.stmt.total.run(cols.cluster, cols.partition ?? '', cols.state, n);
      if (n < 0) this.stmt.dropZero.run(...key);
    }
    this.countDeltas.clear();
  }

  private write(entry: JobEntry): void {
    const view = entry.view;
    const cols = jobColumns(view);
    const record = encodeJobRecord(view.record);
    const before = entry.stored;
    if (before === null) {
      this.stmt.insert.run(
        entry.id,
        view.stream,
        cols.cluster,
        cols.jobId,
        cols.jobIdNum,
        cols.arrayJobId,
        cols.user,
        cols.account,
        cols.partition,
        cols.state,
        cols.nameLc,
        cols.submitTime,
        cols.eligibleTime,
        cols.startTime,
        cols.endTime,
        view.updatedAt,
        view.position,
        view.firstAt,
        cols.submitTime,
        cols.activeTo,
        record,
      );
      this.count(cols, 1);
    } else {
      const mask = changedIndexedColumns(before, cols);
      const args: (string | number | null)[] = [
        record,
        view.updatedAt,
        view.position,
        cols.account,
        cols.nameLc,
        cols.eligibleTime,
        cols.startTime,
        cols.endTime,
      ];
      for (const [bit, , value] of MASKED_COLUMNS) if (mask & bit) args.push(value(cols));
      args.push(entry.id);
      this.update(mask).run(...args);
      if (countKey(before) !== countKey(cols)) {
        this.count(before, -1);
        this.count(cols, 1);
      }
    }
    entry.stored = cols;
    this.indexNodes(entry, cols);
  }

  private update(mask: number): Database.Statement {
    let stmt = this.updates.get(mask);
    if (!stmt) {
      const set = [
        'record = ?',
        'updated_at = ?',
        'position = ?',
        'account = ?',
        'name_lc = ?',
        'eligible_time = ?',
        'start_time = ?',
        'end_time = ?',
        ...MASKED_COLUMNS.filter(([bit]) => mask & bit).map(([, column]) => `${column} = ?`),
      ];
      stmt = this.db.prepare(`UPDATE jobs SET ${set.join(', ')} WHERE id = ?`);
      this.updates.set(mask, stmt);
    }
    return stmt;
  }

  private count(cols: JobColumns, n: number): void {
    const key = countKey(cols);
    const delta = this.countDeltas.get(key);
    if (delta) delta.n += n;
    else this.countDeltas.set(key, { cols, n });
  }

  /**
   * "Jobs on node X" needs the names inside `gpu[01-03]`. A job keeps every node it ever ran on
   * (a requeued job may run elsewhere), so names are only ever added.
   */
  private indexNodes(entry: JobEntry, cols: JobColumns): void {
    const nodes = entry.view.record.nodes;
    if (nodes === entry.nodesIndexed) return;
    entry.nodesIndexed = nodes;
    if (nodes === null || nodes === '') return;
    const rows = this.jobNodeRows;
    for (const name of nodeNames(nodes))
      if (rows) rows.push(name, cols.cluster, entry.id);
      else this.stmt.jobNode.run(name, cols.cluster, entry.id);
  }

  /**
   * Second chance (CLOCK), an approximation of least recently used: a read only marks the entry
   * (`used`), and the oldest entries leave unless marked since they last came here, in which case
   * they go to the young end, unmarked. Moving an entry to the young end at every read (a Map
   * delete and set per job event) made `get` cost 0.58-0.65 s of a 1,000,000-event rebuild's main
   * thread (CPU profile, self time), 0.43 s without.
   */
  private evict(): void {
    if (this.cache.size <= this.capacity) return;
    let excess = this.cache.size - Math.floor(this.capacity * 0.9);
    // Entries moved to the young end are met again by this loop, unmarked: it ends.
    for (const [stream, entry] of this.cache) {
      if (excess <= 0) break;
      this.cache.delete(stream);
      if (entry.used) {
        entry.used = false;
        this.cache.set(stream, entry);
        continue;
      }
      excess--;
      if (this.dirty.delete(entry)) this.write(entry);
    }
  }
}

/** A node list Slurm printed; one that does not parse is kept as one name rather than lost. */
export function nodeNames(nodes: string): string[] {
  try {
    return expandHostList(nodes);
  } catch {
    return [nodes];
  }
}
