import type { NodeRecord } from '@clocktower/contracts';
import type { RawOutput } from '../raw-output.js';
import { readJsonDocument, requireField } from './openapi-envelope.js';
import { SlurmValueError, withContext } from './slurm-output.errors.js';
import { nodeState } from './slurm-states.js';
import { parseGres } from './slurm-tres.js';
import { epochToIso, expandHostlist, jsonString, slurmCount, stringList } from './slurm-values.js';

/**
 * Node JSON in its two shapes:
 * - `nodes` (sinfo --json up to 22.05, and slurmrestd `/nodes` / `scontrol show nodes --json` in
 *   every version): one object per node;
 * - `sinfo` (sinfo --json from 23.02, data_parser): one object per group of nodes with the same
 *   state in one partition, with `sinfo --Node` a group per node and partition. A node in several
 *   partitions appears once per partition: merged into one record with all partitions.
 */

interface NodeJson {
  name?: unknown;
  state?: unknown;
  state_flags?: unknown;
  reason?: unknown;
  reason_set_by_user?: unknown;
  reason_changed_at?: unknown;
  cpus?: unknown;
  alloc_cpus?: unknown;
  real_memory?: unknown;
  alloc_memory?: unknown;
  gres?: unknown;
  gres_used?: unknown;
  partitions?: unknown;
  features?: unknown;
}

export function parseSinfoJson(output: RawOutput, cluster: string): NodeRecord[] {
  const doc = readJsonDocument(output, ['nodes', 'sinfo']);
  return doc.arrayName === 'nodes'
    ? readNodes(doc.items, cluster, output, doc.version)
    : readGroups(doc.items, cluster, output, doc.version);
}

function readNodes(
  items: readonly unknown[],
  cluster: string,
  output: RawOutput,
  version: string,
): NodeRecord[] {
  const records: NodeRecord[] = new Array<NodeRecord>(items.length);
  for (let i = 0; i < items.length; i++) {
    const n = items[i] as NodeJson & Record<string, unknown>;
    try {
      if (n === null || typeof n !== 'object') throw new SlurmValueError('not an object');
      const name = requireField(output, version, n, i, 'name');
      if (typeof name !== 'string' || name === '') throw new SlurmValueError('name is empty');
      const { state, flags } = nodeState(
        requireField(output, version, n, i, 'state'),
        n.state_flags,
      );
      const gres = parseGres(n.gres);
      const reason = jsonString(n.reason);
      records[i] = {
        cluster,
        name,
        state,
        flags,
        reason,
        reasonSetBy: reason === null ? null : jsonString(n.reason_set_by_user),
        reasonSince: reason === null ? null : epochToIso(n.reason_changed_at),
        cpus: slurmCount(n.cpus) ?? 0,
        cpusAllocated: slurmCount(n.alloc_cpus) ?? 0,
        memoryMB: slurmCount(n.real_memory) ?? 0,
        memoryAllocatedMB: slurmCount(n.alloc_memory) ?? 0,
        gpus: gres.gpus,
        gpusAllocated: parseGres(n.gres_used).gpus,
        gpuType: gres.gpuType,
        partitions: stringList(n.partitions),
        features: stringList(n.features),
      };
    } catch (error) {
      withContext(error, output.kind, output.format, `node ${i} (${String(n?.name)})`);
    }
  }
  return records;
}

interface SinfoGroup {
  node?: { state?: unknown } | null;
  nodes?: { nodes?: unknown; total?: unknown } | null;
  cpus?: { allocated?: unknown; total?: unknown; maximum?: unknown } | null;
  memory?: { maximum?: unknown; allocated?: unknown } | null;
  gres?: { total?: unknown; used?: unknown } | null;
  features?: { total?: unknown } | null;
  reason?: { description?: unknown; time?: unknown; user?: unknown } | null;
  partition?: { name?: unknown } | null;
}

function readGroups(
  items: readonly unknown[],
  cluster: string,
  output: RawOutput,
  version: string,
): NodeRecord[] {
  const byName = new Map<string, NodeRecord>();
  for (let i = 0; i < items.length; i++) {
    const g = items[i] as SinfoGroup & Record<string, unknown>;
    try {
      if (g === null || typeof g !== 'object') throw new SlurmValueError('not an object');
      const names = groupNodeNames(requireField(output, version, g, i, 'nodes'));
      const { state, flags } = nodeState(
        (requireField(output, version, g, i, 'node') as { state?: unknown }).state,
      );
      const count = names.length;
      const partition = jsonString(g.partition?.name);
      const gres = parseGres(g.gres?.total);
      const reason = jsonString(g.reason?.description);
      // A group's CPU and memory counts are sums over its nodes; with --Node a group is one node.
      const cpusTotal = slurmCount(g.cpus?.total);
      const template: Omit<NodeRecord, 'name' | 'partitions'> = {
        cluster,
        state,
        flags,
        reason,
        reasonSetBy: reason === null ? null : jsonString(g.reason?.user),
        reasonSince: reason === null ? null : epochToIso(g.reason?.time),
        cpus:
          (cpusTotal === null ? slurmCount(g.cpus?.maximum) : Math.round(cpusTotal / count)) ?? 0,
        cpusAllocated: Math.round((slurmCount(g.cpus?.allocated) ?? 0) / count),
        memoryMB: slurmCount(g.memory?.maximum) ?? 0,
        memoryAllocatedMB: Math.round((slurmCount(g.memory?.allocated) ?? 0) / count),
        gpus: gres.gpus,
        gpusAllocated: parseGres(g.gres?.used).gpus,
        gpuType: gres.gpuType,
        features: stringList(g.features?.total),
      };
      for (const name of names) {
        const seen = byName.get(name);
        if (seen === undefined) {
          byName.set(name, {
            ...template,
            name,
            partitions: partition === null ? [] : [partition],
          });
        } else if (partition !== null && !seen.partitions.includes(partition)) {
          seen.partitions.push(partition);
        }
      }
    } catch (error) {
      withContext(error, output.kind, output.format, `sinfo entry ${i}`);
    }
  }
  const records = [...byName.values()];
  for (const r of records) r.partitions.sort();
  return records;
}

function groupNodeNames(nodes: unknown): string[] {
  const list = (nodes as { nodes?: unknown }).nodes;
  if (!Array.isArray(list)) throw new SlurmValueError('nodes.nodes is not a list');
  const names: string[] = [];
  for (const item of list) if (typeof item === 'string') names.push(...expandHostlist(item));
  if (names.length === 0) throw new SlurmValueError('nodes.nodes is empty');
  return names;
}
