import type { JobResources } from '@clocktower/contracts';
import { SlurmValueError } from './slurm-output.errors.js';
import { memoryToMB, slurmCount, splitTopLevel } from './slurm-values.js';

/**
 * Trackable resources (TRES) and generic resources (GRES): `cpu=4,mem=8G,node=1,gres/gpu=2`
 * strings, sacct's TRES arrays, and node GRES strings such as `gpu:a100:4(S:0-1)`.
 */

export interface Tres {
  readonly cpus: number | null;
  readonly memoryMB: number | null;
  readonly nodes: number | null;
  readonly gpus: number | null;
}

export const NO_RESOURCES: Tres = { cpus: null, memoryMB: null, nodes: null, gpus: null };

/**
 * A fresh JobResources (records never share nested objects: consumers may keep them). GPUs come
 * from the TRES when it names them; a TRES without `gres/gpu` does not mean zero (a cluster whose
 * AccountingStorageTRES lacks gres/gpu never lists them, and a pending job's `tres_req_str` leaves
 * out `--gpus`), so then the count asked for elsewhere (`tres_per_job`…) is used, or null.
 */
export function resources(t: Tres, gpusElsewhere: number | null = null): JobResources {
  return { cpus: t.cpus, memoryMB: t.memoryMB, gpus: t.gpus ?? gpusElsewhere, nodes: t.nodes };
}

/** GPUs asked for per job, per node or per task (`gres/gpu:6`, `gres:gpu:2`), as a job total. */
export function requestedGpus(
  perJob: string | null,
  perNode: string | null,
  nodeCount: number | null,
  perTask: string | null,
  taskCount: number | null,
): number | null {
  const job = gpusPerNode(perJob);
  if (job !== null) return job;
  const node = gpusPerNode(perNode);
  if (node !== null && nodeCount !== null) return node * nodeCount;
  const task = gpusPerNode(perTask);
  if (task !== null && taskCount !== null) return task * taskCount;
  return null;
}

/**
 * A TRES string to counts. GPUs are `gres/gpu=N`; where only typed counts appear
 * (`gres/gpu:a100=2`) they are summed; none named leaves `gpus` null for `resources()` to decide.
 * Identical strings repeat across thousands of jobs, so results are cached per parse.
 */
export function parseTresString(text: string | null, cache?: Map<string, Tres>): Tres {
  if (text === null || text === '' || text === '(null)' || text === 'N/A') return NO_RESOURCES;
  const cached = cache?.get(text);
  if (cached !== undefined) return cached;
  let cpus: number | null = null;
  let memoryMB: number | null = null;
  let nodes: number | null = null;
  let gpuTotal: number | null = null;
  let gpuTyped: number | null = null;
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new SlurmValueError(`unparseable TRES ${JSON.stringify(text)}`);
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (key === 'cpu') cpus = countOf(value, text);
    else if (key === 'mem') memoryMB = memoryToMB(value);
    else if (key === 'node') nodes = countOf(value, text);
    else if (key === 'gres/gpu') gpuTotal = countOf(value, text);
    else if (key.startsWith('gres/gpu:')) gpuTyped = (gpuTyped ?? 0) + countOf(value, text);
  }
  const result: Tres = { cpus, memoryMB, nodes, gpus: gpuTotal ?? gpuTyped };
  cache?.set(text, result);
  return result;
}

function countOf(value: string, whole: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new SlurmValueError(`unparseable TRES count in ${JSON.stringify(whole)}`);
  return n;
}

interface TresItem {
  type?: unknown;
  name?: unknown;
  count?: unknown;
}

/** sacct's TRES array: `[{type: "cpu", count: 4}, {type: "gres", name: "gpu:a100", count: 2}]`. */
export function parseTresArray(items: unknown): Tres {
  if (!Array.isArray(items) || items.length === 0) return NO_RESOURCES;
  let cpus: number | null = null;
  let memoryMB: number | null = null;
  let nodes: number | null = null;
  let gpuTotal: number | null = null;
  let gpuTyped: number | null = null;
  for (const raw of items as TresItem[]) {
    if (raw === null || typeof raw !== 'object') continue;
    const count = slurmCount(raw.count);
    if (raw.type === 'cpu') cpus = count;
    else if (raw.type === 'mem') memoryMB = count;
    else if (raw.type === 'node') nodes = count;
    else if (raw.type === 'gres' && typeof raw.name === 'string') {
      if (raw.name === 'gpu') gpuTotal = count;
      else if (raw.name.startsWith('gpu:')) gpuTyped = (gpuTyped ?? 0) + (count ?? 0);
    }
  }
  return { cpus, memoryMB, nodes, gpus: gpuTotal ?? gpuTyped };
}

export interface Gres {
  readonly gpus: number;
  /** The GPU types named (`a100`), sorted and comma-joined when several; null when untyped. */
  readonly gpuType: string | null;
}

/**
 * A node's GRES string: `gpu:a100:4(S:0-1)`, `gpu:4`, `gpu:h100:2,gpu:h200:4`, and the used form
 * `gpu:a100:2(IDX:0-1)`. Other GRES (`tpu:0`, `shard:8`) are not GPUs.
 */
export function parseGres(text: unknown): Gres {
  if (typeof text !== 'string' || text === '' || text === '(null)' || text === 'N/A')
    return { gpus: 0, gpuType: null };
  let gpus = 0;
  const types = new Set<string>();
  for (const raw of splitTopLevel(text, ',')) {
    const paren = raw.indexOf('(');
    let item = paren >= 0 ? raw.slice(0, paren) : raw;
    if (item.startsWith('gres:') || item.startsWith('gres/')) item = item.slice(5);
    const parts = item.split(':');
    if (parts[0] !== 'gpu') continue;
    // gpu, gpu:N, gpu:TYPE, gpu:TYPE:N (a count of 1 is implied when absent)
    const last = parts[parts.length - 1]!;
    const hasCount = parts.length > 1 && /^\d+$/.test(last);
    const count = hasCount ? Number(last) : 1;
    const type = parts.length >= 3 || (parts.length === 2 && !hasCount) ? parts[1] : undefined;
    if (type !== undefined && type !== '') types.add(type);
    gpus += count;
  }
  return { gpus, gpuType: types.size === 0 ? null : [...types].sort().join(',') };
}

/** GPUs per node from a `tres_per_node`/`%b` value (`gres:gpu:2`, `gres/gpu:a100:2`, `gres/gpu=2`). */
export function gpusPerNode(text: string | null): number | null {
  if (text === null || text === '' || text === 'N/A' || text === '(null)') return null;
  let total: number | null = null;
  for (const item of splitTopLevel(text, ',')) {
    const eq = item.indexOf('=');
    const normalized = eq > 0 ? `${item.slice(0, eq)}:${item.slice(eq + 1)}` : item;
    const g = parseGres(normalized);
    if (g.gpus > 0 || normalized.includes('gpu')) total = (total ?? 0) + g.gpus;
  }
  return total;
}
