import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@clocktower/event-store';
import { checkEvent, foldCategoryOf, FoldCategory } from '../../domain/event-guards.js';
import { toIsoUtc } from '../../domain/iso-time.js';
import { evolveJobView, type FoldableEvent } from '../../domain/job-view.projection.js';
import { evolveNodeView } from '../../domain/node-view.projection.js';
import type { ApplyResult, ParkedEvent } from './read-model.port.js';
import type { HistoryCell as Cell, HistoryLoader, LoadedTable } from './history-loader.js';
import { ClusterSampleWriter } from './cluster-sample-writer.js';
import { ClusterWriter } from './cluster-writer.js';
import { JobUserPropsWriter } from './job-user-props-writer.js';
import { JOB_NODE_INSERT, JobWriter } from './job-writer.js';
import { NodeWriter } from './node-writer.js';
import {
  HISTORY_TABLE,
  HistoryKind,
  JOB_NODES_TABLE,
  SNAPSHOT_EVERY,
  SNAPSHOTS_TABLE,
} from './read-model.schema.js';

/** The job's attributes after a change, stored with the history row for the change feed. */
interface Subject {
  readonly kind: FoldCategory;
  readonly cluster: string;
  readonly key: string | null;
  readonly ref: number | null;
  readonly user: string | null;
  readonly account: string | null;
  readonly partition: string | null;
  readonly state: string | null;
}

class Parked extends Error {}

/** A batch of a bulk load failed: with no rollback journal the file is in an unknown state. */
export class BulkLoadFailedError extends Error {
  readonly code = 'BULK_LOAD_FAILED';
  constructor(cause: unknown) {
    super('a batch of this bulk load failed earlier: discard the file and load it again', {
      cause,
    });
    this.name = 'BulkLoadFailedError';
  }
}

const HISTORY_COLUMNS = [
  'position',
  'stream',
  'revision',
  'kind',
  'cluster',
  'key',
  'ref',
  'type',
  'event_id',
  'occurred_at',
  'slurm_time',
  'correlation_id',
  'causation_id',
  'data',
  'user',
  'account',
  'partition',
  'state',
] as const;
const HISTORY_COLUMN_COUNT = HISTORY_COLUMNS.length;
/** Rows per multi-row INSERT: one native call for many rows. */
const HISTORY_CHUNK = 32;

function historyInsert(rows: number): string {
  const row = `(${HISTORY_COLUMNS.map(() => '?').join(', ')})`;
  return `INSERT INTO history (${HISTORY_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
}

/** The history's statements: the batch writer's, and the first of a bulk load's loader's tables. */
const HISTORY_INSERTS: LoadedTable = {
  name: 'history',
  create: HISTORY_TABLE,
  insertOne: historyInsert(1),
  insertChunk: historyInsert(HISTORY_CHUNK),
  columns: HISTORY_COLUMN_COUNT,
  chunkRows: HISTORY_CHUNK,
};

const SNAPSHOT_INSERT =
  'INSERT OR REPLACE INTO snapshots (stream, position, occurred_at, view) VALUES (?, ?, ?, ?)';

/**
 * What a bulk load's loader fills (history-loader.ts), in the order of send()'s arrays: the tables
 * that folding only ever writes, with the statements the batch writer itself uses. The history is
 * most of a model; job_nodes and snapshots take 3-5% of a rebuild's main thread when inserted there.
 */
export const LOADED_TABLES: readonly LoadedTable[] = [
  HISTORY_INSERTS,
  {
    name: 'job_nodes',
    create: JOB_NODES_TABLE,
    insertOne: JOB_NODE_INSERT,
    insertChunk: JOB_NODE_INSERT,
    columns: 3,
    chunkRows: 1,
  },
  {
    name: 'snapshots',
    create: SNAPSHOTS_TABLE,
    insertOne: SNAPSHOT_INSERT,
    insertChunk: SNAPSHOT_INSERT,
    columns: 4,
    chunkRows: 1,
  },
];

/**
 * Folds batches of events into the tables, in one transaction with the checkpoint. Events of other
 * categories (user-, command-, pipeline-…) are passed over; an event that cannot be folded is
 * parked (stored with the reason) and passed over too: a projection never rejects an event.
 */
export class BatchWriter {
  readonly jobs: JobWriter;
  readonly nodes: NodeWriter;
  readonly clusters: ClusterWriter;
  readonly samples: ClusterSampleWriter;
  readonly userProps: JobUserPropsWriter;
  private checkpoint: number;
  /**
   * History rows not yet inserted: written HISTORY_CHUNK to a statement (fewer native calls), or,
   * in a bulk load with a loader, handed to it whole at the batch's end.
   */
  private pendingHistory: Cell[] = [];
  /** Snapshot rows for the loader (a bulk load with one); else inserted at once. */
  private pendingSnapshots: Cell[] = [];
  private readonly stmt;
  private readonly applyTx: (events: readonly RecordedEvent[]) => ParkedEvent[];
  /** Set when a batch of a bulk load failed: nothing more may be written. */
  private bulkFailure: BulkLoadFailedError | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: () => Date,
    jobCacheSize?: number,
    /** A bulk load (see SqliteReadModel's bulkLoad): job rows written back, no rollback. */
    private bulkLoad = false,
    /** A bulk load's history written on another thread (history-loader.ts) until endBulkLoad. */
    private historyLoader: HistoryLoader | undefined = undefined,
  ) {
    this.jobs = new JobWriter(db, jobCacheSize, bulkLoad, historyLoader !== undefined);
    this.nodes = new NodeWriter(db, bulkLoad);
    this.clusters = new ClusterWriter(db);
    this.samples = new ClusterSampleWriter(db);
    this.userProps = new JobUserPropsWriter(db);
    this.stmt = {
      history: db.prepare(HISTORY_INSERTS.insertOne),
      historyChunk: db.prepare(HISTORY_INSERTS.insertChunk),
      snapshot: db.prepare(SNAPSHOT_INSERT),
      park: db.prepare(
        `INSERT OR REPLACE INTO parked (position, stream, type, reason, event, parked_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      readCheckpoint: db.prepare<[], { value: string }>(
        "SELECT value FROM meta WHERE key = 'position'",
      ),
      writeCheckpoint: db.prepare(
        "INSERT INTO meta (key, value) VALUES ('position', ?) ON CONFLICT DO UPDATE SET value = excluded.value",
      ),
    };
    this.checkpoint = this.readCheckpoint();
    const tx = db.transaction((events: readonly RecordedEvent[]) => this.applyLocked(events));
    this.applyTx = (events) => tx.immediate(events);
  }

  position(): number {
    return this.checkpoint;
  }

  private readCheckpoint(): number {
    return Number(this.stmt.readCheckpoint.get()?.value ?? '0');
  }

  apply(events: readonly RecordedEvent[]): ApplyResult {
    if (this.bulkFailure) throw this.bulkFailure;
    try {
      return { parked: this.applyTx(events) };
    } catch (error) {
      // A bulk load has no rollback journal, and memory holds rows the tables do not (which the
      // resets below drop): its file can no longer be trusted.
      if (this.bulkLoad) this.bulkFailure = new BulkLoadFailedError(error);
      this.pendingHistory.length = 0;
      this.pendingSnapshots.length = 0;
      // The transaction rolled back: what memory holds may be ahead of the tables.
      this.jobs.reset();
      this.nodes.reset();
      this.clusters.reset();
      this.samples.reset();
      this.checkpoint = this.readCheckpoint();
      throw error;
    }
  }

  /** Ends a bulk load: the jobs still held in memory are written; then every batch writes its own. */
  endBulkLoad(): void {
    if (this.bulkFailure) throw this.bulkFailure;
    if (!this.bulkLoad) return;
    this.db
      .transaction(() => {
        this.jobs.endWriteBack();
        this.nodes.endWriteBack();
      })
      .immediate();
    // The last jobs' node names: to the loader, which takes them after building its indexes.
    this.historyLoader?.send([[], this.jobs.takeJobNodeRows(true), []]);
    this.bulkLoad = false;
    this.historyLoader = undefined;
  }

  recordPoll(cluster: string, ok: boolean, polledAt: string): void {
    this.clusters.recordPoll(cluster, ok, polledAt);
    this.clusters.flush();
  }

  private applyLocked(events: readonly RecordedEvent[]): ParkedEvent[] {
    const parked: ParkedEvent[] = [];
    let last = this.checkpoint;
    for (const event of events) {
      const position = Number(event.position);
      // At-least-once delivery: what the checkpoint covers is already folded in.
      if (position <= last) continue;
      last = position;
      const category = foldCategoryOf(event.stream);
      if (category === null) {
        // Users' job props (jobprops-…); any other category is passed over (the writer says null).
        const problem = this.userProps.apply(event, position);
        if (problem !== null) parked.push(this.park(event, position, problem));
        continue;
      }
      try {
        this.fold(category, event, position);
      } catch (error) {
        if (!(error instanceof Parked)) throw error;
        parked.push(this.park(event, position, error.message));
      }
    }
    this.jobs.flush();
    this.nodes.flush();
    this.clusters.flush();
    this.samples.flush();
    if (this.historyLoader) {
      this.historyLoader.send([
        this.pendingHistory,
        this.jobs.takeJobNodeRows(),
        this.pendingSnapshots,
      ]);
      this.pendingHistory = [];
      this.pendingSnapshots = [];
    } else {
      for (let i = 0; i < this.pendingHistory.length; i += HISTORY_COLUMN_COUNT)
        this.stmt.history.run(this.pendingHistory.slice(i, i + HISTORY_COLUMN_COUNT));
      this.pendingHistory.length = 0;
    }
    if (last > this.checkpoint) {
      this.stmt.writeCheckpoint.run(String(last));
      this.checkpoint = last;
    }
    return parked;
  }

  private fold(category: FoldCategory, event: RecordedEvent, position: number): void {
    const occurredAt = typeof event.occurredAt === 'string' ? toIsoUtc(event.occurredAt) : null;
    if (occurredAt === null)
      throw new Parked(`occurredAt: not a time (${JSON.stringify(event.occurredAt)})`);
    const problem = checkEvent(category, event.type, event.data);
    if (problem !== null) throw new Parked(problem);
    const step: FoldableEvent = { type: event.type, data: event.data, occurredAt, position };
    if (category === FoldCategory.Job) this.foldJob(event, step);
    else if (category === FoldCategory.Node) this.foldNode(event, step);
    else {
      const cluster = event.data['cluster'] as string;
      this.clusters.apply(cluster, step);
      this.history(event, step, {
        kind: category,
        cluster,
        key: null,
        ref: null,
        user: null,
        account: null,
        partition: null,
        state: null,
      });
    }
  }

  private foldJob(event: RecordedEvent, step: FoldableEvent): void {
    const entry = this.jobs.get(event.stream);
    const view = evolveJobView(entry?.view, event.stream, step);
    if (!view) throw new Parked(`${event.type}: the job's stream has no JobSubmitted before it`);
    this.samples.job(entry?.view.record, view.record, step.occurredAt);
    const next = this.jobs.put(entry, view);
    const r = view.record;
    this.clusters.observe(r.cluster, step.occurredAt);
    this.history(event, step, {
      kind: FoldCategory.Job,
      cluster: r.cluster,
      key: r.jobId,
      ref: next.id,
      user: r.user,
      account: r.account ?? null,
      partition: r.partition ?? null,
      state: r.state,
    });
    this.snapshot(event, step, view);
  }

  private foldNode(event: RecordedEvent, step: FoldableEvent): void {
    const entry = this.nodes.get(event.stream);
    const view = evolveNodeView(entry?.view, event.stream, step);
    if (!view) throw new Parked(`${event.type}: the node's stream has no NodeAdded before it`);
    this.samples.node(entry?.view, view, step.occurredAt);
    const next = this.nodes.put(entry, view);
    this.clusters.observe(view.record.cluster, step.occurredAt);
    this.history(event, step, {
      kind: FoldCategory.Node,
      cluster: view.record.cluster,
      key: view.record.name,
      ref: next.id,
      user: null,
      account: null,
      partition: null,
      state: null,
    });
    this.snapshot(event, step, view);
  }

  private history(event: RecordedEvent, step: FoldableEvent, s: Subject): void {
    const slurmTime = event.data['slurmTime'];
    // Straight into the pending rows (one call, no array per event): a rebuild adds a million.
    this.pendingHistory.push(
      step.position,
      event.stream,
      event.revision,
      HistoryKind[s.kind],
      s.cluster,
      s.key,
      s.ref,
      event.type,
      event.eventId,
      step.occurredAt,
      typeof slurmTime === 'string' ? slurmTime : null,
      event.correlationId === event.eventId ? null : event.correlationId,
      event.causationId === event.eventId ? null : event.causationId,
      // The store's own text when it has it: the same JSON, without stringifying the data back.
      event.dataJson ?? JSON.stringify(event.data),
      s.user,
      s.account,
      s.partition,
      s.state,
    );
    if (
      !this.historyLoader &&
      this.pendingHistory.length === HISTORY_CHUNK * HISTORY_COLUMN_COUNT
    ) {
      this.stmt.historyChunk.run(this.pendingHistory);
      this.pendingHistory.length = 0;
    }
  }

  private snapshot(event: RecordedEvent, step: FoldableEvent, view: { stream: string }): void {
    if ((event.revision + 1) % SNAPSHOT_EVERY !== 0) return;
    const { stream: _stream, ...rest } = view;
    const text = JSON.stringify(rest);
    if (this.historyLoader)
      this.pendingSnapshots.push(event.stream, step.position, step.occurredAt, text);
    else this.stmt.snapshot.run(event.stream, step.position, step.occurredAt, text);
  }

  private park(event: RecordedEvent, position: number, reason: string): ParkedEvent {
    let text: string;
    try {
      text = JSON.stringify({ ...event, position: String(event.position) });
    } catch {
      text = JSON.stringify({ stream: event.stream, type: event.type, eventId: event.eventId });
    }
    this.stmt.park.run(
      position,
      event.stream,
      String(event.type),
      reason,
      text,
      this.clock().toISOString(),
    );
    return { position: BigInt(position), stream: event.stream, type: String(event.type), reason };
  }
}
