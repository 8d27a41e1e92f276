import type { NodeRecord } from './job-record.js';

/** Folds one node event into the node's record (the collector and the projection share it). */
export function evolveNode(
  record: NodeRecord | undefined,
  event: { type: string; data: Record<string, unknown> },
): NodeRecord | undefined {
  const d = event.data;
  if (event.type === 'NodeAdded') return d['record'] as NodeRecord;
  if (!record) return undefined;
  switch (event.type) {
    case 'NodeStateChanged':
      return {
        ...record,
        state: d['toState'] as string,
        flags: d['toFlags'] as string[],
        reason: (d['reason'] as string | null) ?? null,
        reasonSetBy: (d['reasonSetBy'] as string | null) ?? null,
        reasonSince: (d['reasonSince'] as string | null) ?? null,
      };
    case 'NodeResourcesChanged': {
      const next: Record<string, unknown> = { ...record };
      for (const [field, change] of Object.entries(d['changes'] as Record<string, { to: unknown }>))
        next[field] = change.to;
      return next as unknown as NodeRecord;
    }
    case 'NodeAllocationChanged':
      return {
        ...record,
        cpusAllocated: d['cpusAllocated'] as number,
        memoryAllocatedMB: d['memoryAllocatedMB'] as number,
        gpusAllocated: d['gpusAllocated'] as number,
      };
    default:
      return record;
  }
}
