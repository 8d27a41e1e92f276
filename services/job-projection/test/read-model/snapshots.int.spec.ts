import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { evolveNode, type NodeRecord } from '@clocktower/contracts';
import type { RecordedEvent } from '@clocktower/event-store';
import type { SqliteReadModel } from '../../src/adapters/store/sqlite-read-model.js';
import { SNAPSHOT_EVERY } from '../../src/adapters/store/read-model.schema.js';
import { applyInBatches, history, openTempModel } from './read-model-support.js';

// Two nodes share every job, so each node's stream runs to hundreds of events: many snapshots.
const events = history({ seed: 4, jobs: 300, nodes: 2, meanSubmitIntervalSeconds: 900 });
const NODE = 'node-alpha-cn001';
const nodeEvents = events.filter((e) => e.stream === NODE);
let model: SqliteReadModel;
let dispose: () => void;

beforeAll(() => {
  ({ model, dispose } = openTempModel());
  applyInBatches(model, events, 97);
});
afterAll(() => dispose());

/** The node folded in memory up to (and including) `until`. */
function expected(until: (e: RecordedEvent) => boolean): NodeRecord | undefined {
  let record: NodeRecord | undefined;
  for (const e of nodeEvents) {
    if (!until(e)) break;
    record = evolveNode(record, e);
  }
  return record;
}

describe('views rebuilt at past points of a long stream', () => {
  it('the stream is long enough to have been snapshotted several times', () => {
    expect(nodeEvents.length).toBeGreaterThan(SNAPSHOT_EVERY * 4);
  });

  it('gives each change of the feed the node exactly as it stood right after it', () => {
    const changes = [];
    let after = '0';
    for (;;) {
      const feed = model.readChanges({ afterPosition: after, node: 'cn001', limit: 1000 });
      changes.push(...feed.items.filter((c) => c.stream === NODE));
      if (feed.lastPosition === feed.projectedPosition) break;
      after = feed.lastPosition;
    }
    expect(changes).toHaveLength(nodeEvents.length);
    for (const change of changes) {
      const position = BigInt(change.position);
      expect(change.after).toEqual(expected((e) => e.position <= position));
    }
  });

  it('shows the node as it was at times between its snapshots', () => {
    const times = nodeEvents
      .filter((_, i) => i % 13 === 5)
      .map((e) => new Date(Date.parse(e.occurredAt) + 1).toISOString());
    for (const time of times) {
      const node = model
        .getClusterAsOf({ cluster: 'alpha', time })!
        .nodes.find((n) => n.name === 'cn001');
      expect(node).toEqual(expected((e) => e.occurredAt <= time));
    }
  });
});
