import { evolveNode, type NodeRecord } from '@clocktower/contracts';
import type { FoldableEvent } from './job-view.projection.js';

export interface NodeViewState {
  readonly stream: string;
  readonly record: NodeRecord;
  readonly updatedAt: string;
  readonly position: number;
  readonly firstAt: string;
  /** Gone from sinfo (NodeRemoved) and not added again since. */
  readonly removed: boolean;
}

/** Folds one node event: the record as the collector folds it, and whether the node is gone. */
export function evolveNodeView(
  view: NodeViewState | undefined,
  stream: string,
  event: FoldableEvent,
): NodeViewState | undefined {
  const record = evolveNode(view?.record, event);
  if (!record) return undefined;
  return {
    stream,
    record,
    updatedAt: event.occurredAt,
    position: event.position,
    firstAt: view?.firstAt ?? event.occurredAt,
    removed:
      event.type === 'NodeRemoved' ? true : event.type === 'NodeAdded' ? false : view!.removed,
  };
}
