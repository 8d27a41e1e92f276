import {
  NodeAdded,
  NodeAllocationChanged,
  NodeRemoved,
  NodeResourcesChanged,
  NodeStateChanged,
  streamName,
  type NodeRecord,
} from '@clocktower/contracts';
import { draft, type EventDraft, type StreamDecision } from './event-draft.js';

export interface KnownNode {
  readonly stream: string;
  readonly revision: number;
  readonly record: NodeRecord;
}

export function nodeStreamName(cluster: string, node: string): string {
  return streamName('node', `${cluster}-${node}`);
}

const CONFIGURED_FIELDS = [
  'cpus',
  'memoryMB',
  'gpus',
  'gpuType',
  'partitions',
  'features',
] as const;

function same(a: unknown, b: unknown): boolean {
  return (
    a === b ||
    (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]))
  );
}

/** The events that take a known node to what a new observation shows; nothing when unchanged. */
export function decideNode(
  known: KnownNode | undefined,
  next: NodeRecord,
): StreamDecision | undefined {
  const base = { cluster: next.cluster, node: next.name };
  if (!known) {
    return {
      stream: nodeStreamName(next.cluster, next.name),
      revision: -1,
      events: [draft(NodeAdded, { ...base, record: next })],
    };
  }
  const current = known.record;
  const events: EventDraft[] = [];
  if (
    current.state !== next.state ||
    !same(current.flags, next.flags) ||
    current.reason !== next.reason ||
    current.reasonSetBy !== next.reasonSetBy ||
    current.reasonSince !== next.reasonSince
  ) {
    events.push(
      draft(NodeStateChanged, {
        ...base,
        fromState: current.state,
        fromFlags: current.flags,
        toState: next.state,
        toFlags: next.flags,
        reason: next.reason,
        reasonSetBy: next.reasonSetBy,
        reasonSince: next.reasonSince,
      }),
    );
  }
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of CONFIGURED_FIELDS) {
    if (!same(current[field], next[field]))
      changes[field] = { from: current[field], to: next[field] };
  }
  if (Object.keys(changes).length > 0)
    events.push(draft(NodeResourcesChanged, { ...base, changes }));
  if (
    current.cpusAllocated !== next.cpusAllocated ||
    current.memoryAllocatedMB !== next.memoryAllocatedMB ||
    current.gpusAllocated !== next.gpusAllocated
  ) {
    events.push(
      draft(NodeAllocationChanged, {
        ...base,
        cpusAllocated: next.cpusAllocated,
        memoryAllocatedMB: next.memoryAllocatedMB,
        gpusAllocated: next.gpusAllocated,
      }),
    );
  }
  return events.length === 0
    ? undefined
    : { stream: known.stream, revision: known.revision, events };
}

/** A node that no longer appears in sinfo. */
export function decideNodeRemoved(known: KnownNode): StreamDecision {
  const { cluster, name, state } = known.record;
  return {
    stream: known.stream,
    revision: known.revision,
    events: [draft(NodeRemoved, { cluster, node: name, lastState: state })],
  };
}
