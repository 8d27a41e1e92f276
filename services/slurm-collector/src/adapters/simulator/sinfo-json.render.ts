import { popcount } from './node-allocation.js';
import type { SimNode } from './simulated-job.js';
import {
  type ClusterView,
  formatMemory,
  gpuDetail,
  noise,
  openapiMeta,
  SIMULATED_SLURM_RELEASE,
  slurmJson,
} from './slurm-json.format.js';

/** Slurm's NO_VAL (cpu_load of a node that does not answer) and NO_VAL64 as sinfo prints free memory. */
const NO_VAL = 4_294_967_294;
const NO_VAL64_AS_PRINTED = -2;
const OPERATING_SYSTEM =
  'Linux 5.14.0-427.13.1.el9_4.x86_64 #1 SMP PREEMPT_DYNAMIC Wed Apr 10 10:29:16 EDT 2024';

/**
 * `sinfo --json` of Slurm 22.05 (openapi/v0.0.38): one record per node. A drained node keeps its
 * base state (`idle`, `mixed`) with DRAIN in `state_flags`; a node that stopped answering is
 * `down` with NOT_RESPONDING (lab capture: test/simulator/fixtures/lab-sinfo.json).
 */
export function renderSinfoJson(view: ClusterView): string {
  return slurmJson({
    meta: openapiMeta('ctld'),
    errors: [],
    nodes: view.nodes.map((n) => sinfoNodeRecord(view, n)),
  });
}

export function nodeBaseState(node: SimNode): 'down' | 'idle' | 'mixed' | 'allocated' {
  if (node.down) return 'down';
  if (node.allocCpus === 0) return 'idle';
  return node.allocCpus >= node.cpus ? 'allocated' : 'mixed';
}

export function sinfoNodeRecord(view: ClusterView, node: SimNode): object {
  const minute = Math.floor(view.now / 60);
  const answering = !node.notResponding;
  const stateFlags: string[] = [];
  if (node.drain) stateFlags.push('DRAIN');
  if (node.notResponding) stateFlags.push('NOT_RESPONDING');
  const gpusUsed: number[] = [];
  for (let g = 0; g < node.gpus; g++) if ((node.gpuMask & (1 << g)) !== 0) gpusUsed.push(g);
  const gpuTres = node.gpus > 0 ? `,gres/gpu=${node.gpus}` : '';
  const usedGpuTres =
    node.gpus > 0 && node.gpuMask !== 0 ? `,gres/gpu=${popcount(node.gpuMask)}` : '';
  // Load follows the allocated CPUs with a little jitter; free memory is what jobs leave, less the OS.
  const load = Math.round(
    node.allocCpus * 100 * (0.8 + 0.25 * noise(node.index, minute)) +
      20 * noise(minute, node.index),
  );
  const free = Math.round(
    (node.memoryMB - node.allocMemoryMB * (0.5 + 0.4 * noise(node.index + 7, minute))) * 0.97,
  );
  return {
    architecture: 'x86_64',
    burstbuffer_network_address: '',
    boards: 1,
    boot_time: node.bootTime,
    comment: '',
    cores: node.coresPerSocket,
    cpu_binding: 0,
    cpu_load: answering ? load : NO_VAL,
    extra: '',
    free_memory: answering ? free : NO_VAL64_AS_PRINTED,
    cpus: node.cpus,
    last_busy: node.lastBusy,
    features: node.features,
    active_features: node.features,
    gres:
      node.gpus > 0
        ? `gpu:${node.gpuType ?? ''}${node.gpuType === null ? '' : ':'}${node.gpus}(S:0-${node.sockets - 1})`
        : '',
    gres_drained: 'N/A',
    gres_used: node.gpus > 0 ? gpuDetail(node.gpuType, gpusUsed) : '',
    mcs_label: '',
    name: node.name,
    next_state_after_reboot: 'invalid',
    address: node.name,
    hostname: node.name,
    state: nodeBaseState(node),
    state_flags: stateFlags,
    next_state_after_reboot_flags: [],
    operating_system: OPERATING_SYSTEM,
    owner: null,
    partitions: node.partitions,
    port: 6818,
    real_memory: node.memoryMB,
    reason: node.reason,
    reason_changed_at: node.reasonChangedAt,
    reason_set_by_user: node.reason === '' ? null : node.reasonSetBy,
    slurmd_start_time: node.slurmdStartTime,
    sockets: node.sockets,
    threads: 1,
    temporary_disk: 0,
    weight: 1,
    tres: `cpu=${node.cpus},mem=${formatMemory(node.memoryMB)},billing=${node.cpus}${gpuTres}`,
    slurmd_version: SIMULATED_SLURM_RELEASE,
    alloc_memory: node.allocMemoryMB,
    alloc_cpus: node.allocCpus,
    idle_cpus: node.cpus - node.allocCpus,
    tres_used:
      node.allocCpus > 0
        ? `cpu=${node.allocCpus},mem=${formatMemory(node.allocMemoryMB)}${usedGpuTres}`
        : null,
    tres_weighted: node.allocCpus,
  };
}
