import type { SimAllocation, SimJob, SimNode } from './simulated-job.js';

/** What one job needs on each of its nodes. */
export interface PerNodeRequest {
  readonly cpus: number;
  readonly memoryMB: number;
  readonly gpus: number;
}

export function perNodeRequest(job: SimJob): PerNodeRequest {
  const cpus = Math.ceil(job.cpus / job.nodeCount);
  return {
    cpus,
    memoryMB: job.memoryPerCpu ? job.memoryMB * cpus : job.memoryMB,
    gpus: job.gpusPerNode,
  };
}

export function isSchedulable(node: SimNode): boolean {
  return !node.down && !node.drain;
}

/** Whether a request fits a node as it is now (capacity only; see isSchedulable). */
export function fits(node: SimNode, request: PerNodeRequest): boolean {
  return (
    node.cpus - node.allocCpus >= request.cpus &&
    node.memoryMB - node.allocMemoryMB >= request.memoryMB &&
    node.gpus - popcount(node.gpuMask) >= request.gpus
  );
}

export interface PlacementFilter {
  readonly count: number;
  readonly gpuType: string | null;
  readonly constraint: string;
  /** Nodes held back for a higher-priority job (1 = reserved), or null. */
  readonly reserved: Uint8Array | null;
}

/** Whether a node could hold the request when empty: its size, GPU type and features. */
export function couldEverHold(
  node: SimNode,
  request: PerNodeRequest,
  filter: PlacementFilter,
): boolean {
  return (
    node.cpus >= request.cpus &&
    node.memoryMB >= request.memoryMB &&
    node.gpus >= request.gpus &&
    (filter.gpuType === null || request.gpus === 0 || node.gpuType === filter.gpuType) &&
    (filter.constraint === '' || node.features.split(',').includes(filter.constraint))
  );
}

/**
 * First fit over `candidates` (node indices in the partition's order): the first `count`
 * schedulable, unreserved nodes the request fits on now, or null. Nothing is allocated yet.
 */
export function firstFit(
  nodes: readonly SimNode[],
  candidates: readonly number[],
  request: PerNodeRequest,
  filter: PlacementFilter,
): number[] | null {
  const chosen: number[] = [];
  for (const index of candidates) {
    const node = nodes[index];
    if (node === undefined || !isSchedulable(node) || filter.reserved?.[index] === 1) continue;
    if (!fits(node, request) || !couldEverHold(node, request, filter)) continue;
    chosen.push(index);
    if (chosen.length === filter.count) return chosen;
  }
  return null;
}

/** Takes the lowest free cores and GPUs of a node. The caller checked that the request fits. */
export function allocate(node: SimNode, request: PerNodeRequest): SimAllocation {
  const cores: number[] = [];
  for (let c = 0; c < node.cpus && cores.length < request.cpus; c++) {
    if (node.coreUsed[c] === 0) {
      node.coreUsed[c] = 1;
      cores.push(c);
    }
  }
  const gpus: number[] = [];
  for (let g = 0; g < node.gpus && gpus.length < request.gpus; g++) {
    if ((node.gpuMask & (1 << g)) === 0) {
      node.gpuMask |= 1 << g;
      gpus.push(g);
    }
  }
  node.allocCpus += request.cpus;
  node.allocMemoryMB += request.memoryMB;
  node.runningJobs += 1;
  return { node: node.index, cpus: request.cpus, memoryMB: request.memoryMB, cores, gpus };
}

export function release(node: SimNode, allocation: SimAllocation): void {
  for (const c of allocation.cores) node.coreUsed[c] = 0;
  for (const g of allocation.gpus) node.gpuMask &= ~(1 << g);
  node.allocCpus -= allocation.cpus;
  node.allocMemoryMB -= allocation.memoryMB;
  node.runningJobs -= 1;
}

export function popcount(mask: number): number {
  let n = 0;
  let m = mask >>> 0;
  while (m !== 0) {
    m &= m - 1;
    n++;
  }
  return n;
}
