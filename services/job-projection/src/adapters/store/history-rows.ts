import type Database from 'better-sqlite3';
import type { ChangeEntry, HistoryEntry, JobRecord, NodeRecord } from '@clocktower/contracts';
import type { HistoryStep } from '../../domain/as-of.fold.js';
import { evolveJobView, type JobViewState } from '../../domain/job-view.projection.js';
import { evolveNodeView, type NodeViewState } from '../../domain/node-view.projection.js';
import { HISTORY_KIND_NAMES, HistoryKind } from './read-model.schema.js';

export const HISTORY_COLUMNS =
  'h.position, h.stream, h.revision, h.kind, h.cluster, h.key, h.ref, h.type, h.event_id, h.occurred_at, h.slurm_time, h.correlation_id, h.causation_id, h.data';

export interface HistoryRow {
  position: number;
  stream: string;
  revision: number;
  kind: number;
  cluster: string;
  key: string | null;
  ref: number | null;
  type: string;
  event_id: string;
  occurred_at: string;
  slurm_time: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  data: string;
}

export function historyEntry(row: HistoryRow): HistoryEntry {
  return {
    position: String(row.position),
    stream: row.stream,
    revision: row.revision,
    eventId: row.event_id,
    type: row.type,
    occurredAt: row.occurred_at,
    slurmTime: row.slurm_time,
    correlationId: row.correlation_id ?? row.event_id,
    causationId: row.causation_id ?? row.event_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

type View = JobViewState | NodeViewState;

/**
 * Views of a job or node at past points of its history: the latest snapshot at or before the
 * point, then the events after it. A snapshot is taken every SNAPSHOT_EVERY events of a stream,
 * so no rebuild folds more than that many, however long the stream.
 */
export class PastViews {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      snapshotAtPosition: db.prepare<[string, number], { position: number; view: string }>(
        'SELECT position, view FROM snapshots WHERE stream = ? AND position <= ? ORDER BY position DESC LIMIT 1',
      ),
      snapshotAtTime: db.prepare<[string, string], { position: number; view: string }>(
        'SELECT position, view FROM snapshots WHERE stream = ? AND occurred_at <= ? ORDER BY position DESC LIMIT 1',
      ),
      steps: db.prepare<
        [number, number, number],
        { position: number; type: string; data: string; occurred_at: string }
      >(
        'SELECT position, type, data, occurred_at FROM history WHERE kind = ? AND ref = ? AND position > ? ORDER BY position',
      ),
    };
  }

  /** The view of a job or node (its row `ref`) right after each of `positions`. */
  atPositions(
    kind: 'job' | 'node',
    ref: number,
    stream: string,
    positions: readonly number[],
  ): Map<number, View> {
    const wanted = [...positions].sort((a, b) => a - b);
    const out = new Map<number, View>();
    const first = wanted[0];
    if (first === undefined) return out;
    const last = wanted.at(-1)!;
    const snapshot = this.stmt.snapshotAtPosition.get(stream, first);
    let view = snapshot ? restore(stream, snapshot.view) : undefined;
    const from = snapshot?.position ?? 0;
    let i = 0;
    // A wanted position that is the snapshot's own.
    for (; i < wanted.length && wanted[i]! <= from; i++) if (view) out.set(wanted[i]!, view);
    for (const step of this.stmt.steps.iterate(HistoryKind[kind], ref, from)) {
      if (step.position > last) break;
      view = fold(kind, view, stream, toStep(step));
      while (i < wanted.length && wanted[i]! <= step.position) {
        if (view) out.set(wanted[i]!, view);
        i++;
      }
    }
    return out;
  }

  /** The view as known at `time` (events observed at or before it). */
  atTime(kind: 'job' | 'node', ref: number, stream: string, time: string): View | undefined {
    const snapshot = this.stmt.snapshotAtTime.get(stream, time);
    let view = snapshot ? restore(stream, snapshot.view) : undefined;
    for (const step of this.stmt.steps.iterate(HistoryKind[kind], ref, snapshot?.position ?? 0)) {
      // A stream's events are observed in order: the first one after `time` ends the fold.
      if (step.occurred_at > time) break;
      view = fold(kind, view, stream, toStep(step));
    }
    return view;
  }
}

function restore(stream: string, json: string): View {
  return { ...(JSON.parse(json) as Omit<View, 'stream'>), stream } as View;
}

function toStep(row: {
  position: number;
  type: string;
  data: string;
  occurred_at: string;
}): HistoryStep {
  return {
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    occurredAt: row.occurred_at,
  };
}

function fold(
  kind: 'job' | 'node',
  view: View | undefined,
  stream: string,
  step: HistoryStep,
): View | undefined {
  return kind === 'job'
    ? (evolveJobView(view as JobViewState | undefined, stream, step) ?? view)
    : (evolveNodeView(view as NodeViewState | undefined, stream, step) ?? view);
}

/** History rows as change entries, each with its job or node as it stood right after. */
export function changeEntries(past: PastViews, rows: readonly HistoryRow[]): ChangeEntry[] {
  const byStream = new Map<string, { kind: 'job' | 'node'; ref: number; positions: number[] }>();
  for (const row of rows) {
    const kind = HISTORY_KIND_NAMES[row.kind] ?? 'cluster';
    if (kind === 'cluster' || row.ref === null) continue;
    const group = byStream.get(row.stream);
    if (group) group.positions.push(row.position);
    else byStream.set(row.stream, { kind, ref: row.ref, positions: [row.position] });
  }
  const after = new Map<number, JobRecord | NodeRecord>();
  for (const [stream, { kind, ref, positions }] of byStream) {
    for (const [position, view] of past.atPositions(kind, ref, stream, positions))
      after.set(position, view.record);
  }
  return rows.map((row) => ({
    ...historyEntry(row),
    kind: HISTORY_KIND_NAMES[row.kind] ?? 'cluster',
    cluster: row.cluster,
    key: row.key,
    after: after.get(row.position) ?? null,
  }));
}
