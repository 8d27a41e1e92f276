import { describe, expect, it } from '@jest/globals';
import { evolveNode, type NodeRecord } from '@clocktower/contracts';
import { decideNode, decideNodeRemoved, nodeStreamName, type KnownNode } from './node.diff.js';
import type { StreamDecision } from './event-draft.js';

function node(overrides: Partial<NodeRecord> = {}): NodeRecord {
  return {
    cluster: 'lab',
    name: 'node02',
    state: 'IDLE',
    flags: [],
    reason: null,
    reasonSetBy: null,
    reasonSince: null,
    cpus: 8,
    cpusAllocated: 0,
    memoryMB: 4000,
    memoryAllocatedMB: 0,
    gpus: 0,
    gpusAllocated: 0,
    gpuType: null,
    partitions: ['debug'],
    features: ['lab'],
    ...overrides,
  };
}

function known(record: NodeRecord): KnownNode {
  return { stream: nodeStreamName('lab', record.name), revision: 0, record };
}

const types = (d: StreamDecision | undefined) => d?.events.map((e) => e.cls.type) ?? [];

function fold(start: NodeRecord, decision: StreamDecision | undefined): NodeRecord {
  let record: NodeRecord | undefined = start;
  for (const e of decision?.events ?? [])
    record = evolveNode(record, { type: e.cls.type, data: e.data as Record<string, unknown> });
  return record!;
}

describe('node diff', () => {
  it('emits NodeAdded with the whole record for a node seen for the first time', () => {
    const decision = decideNode(undefined, node());
    expect(types(decision)).toEqual(['NodeAdded']);
    expect(decision).toMatchObject({ stream: 'node-lab-node02', revision: -1 });
  });

  it('emits nothing when nothing changed', () => {
    expect(decideNode(known(node()), node())).toBeUndefined();
  });

  it('emits NodeStateChanged with the reason, who set it and since when, when a node is drained', () => {
    const drained = node({
      flags: ['DRAIN'],
      reason: 'bad DIMM',
      reasonSetBy: 'root',
      reasonSince: '2026-11-21T10:00:00.000Z',
    });
    const decision = decideNode(known(node()), drained);
    expect(types(decision)).toEqual(['NodeStateChanged']);
    expect(decision!.events[0]!.data).toMatchObject({
      fromState: 'IDLE',
      fromFlags: [],
      toState: 'IDLE',
      toFlags: ['DRAIN'],
      reason: 'bad DIMM',
      reasonSetBy: 'root',
    });
  });

  it('emits NodeStateChanged when a node stops responding and goes down', () => {
    const decision = decideNode(
      known(node()),
      node({ state: 'DOWN', flags: ['NOT_RESPONDING'], reason: 'Not responding' }),
    );
    expect(decision!.events[0]!.data).toMatchObject({
      toState: 'DOWN',
      toFlags: ['NOT_RESPONDING'],
    });
  });

  it('emits NodeAllocationChanged when jobs start on it, and NodeResourcesChanged when its configuration changes', () => {
    expect(
      types(
        decideNode(
          known(node()),
          node({ state: 'MIXED', cpusAllocated: 4, memoryAllocatedMB: 1000 }),
        ),
      ),
    ).toEqual(['NodeStateChanged', 'NodeAllocationChanged']);
    const decision = decideNode(
      known(node()),
      node({ memoryMB: 8000, partitions: ['debug', 'long'] }),
    );
    expect(types(decision)).toEqual(['NodeResourcesChanged']);
    expect(decision!.events[0]!.data).toMatchObject({
      changes: {
        memoryMB: { from: 4000, to: 8000 },
        partitions: { from: ['debug'], to: ['debug', 'long'] },
      },
    });
  });

  it('emits NodeRemoved with its last state for a node that is gone', () => {
    expect(decideNodeRemoved(known(node({ state: 'DOWN' }))).events[0]!.data).toMatchObject({
      node: 'node02',
      lastState: 'DOWN',
    });
  });

  it('converges: folding the decided events gives the observation back', () => {
    const start = node();
    const next = node({
      state: 'MIXED',
      flags: ['DRAIN'],
      reason: 'maintenance',
      reasonSetBy: 'ops',
      reasonSince: '2026-11-21T11:00:00.000Z',
      cpusAllocated: 2,
      gpus: 4,
      gpuType: 'a100',
    });
    const folded = fold(start, decideNode(known(start), next));
    expect(folded).toEqual(next);
    expect(decideNode(known(folded), next)).toBeUndefined();
  });
});
