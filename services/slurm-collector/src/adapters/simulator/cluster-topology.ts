import type { Prng } from './prng.js';
import type { SimPartition, SimulatedClusterConfig } from './simulated-cluster.config.js';
import type { SimNode, SimUser } from './simulated-job.js';

/** The user sources submit as, unless a request names another. */
export const SUBMIT_USER = 'clocktower';

export interface SimPartitionState {
  readonly name: string;
  readonly config: SimPartition;
  /** Node indices, in name order (the order first fit walks). */
  readonly nodes: readonly number[];
}

/** Reasons a node gets drained for, and who sets them (health checks run as root). */
export const DRAINS: readonly {
  readonly reason: string;
  readonly by: string;
  readonly gpuOnly?: boolean;
}[] = [
  { reason: 'Kill task failed', by: 'slurm' },
  { reason: 'hardware: correctable memory errors', by: 'root' },
  { reason: 'maintenance: BIOS update', by: 'hpcadmin' },
  { reason: 'NHC: /scratch not mounted', by: 'root' },
  { reason: 'GPU XID 79: fell off the bus', by: 'root', gpuOnly: true },
];

export function pickDrain(
  prng: Prng,
  node: SimNode,
): { readonly reason: string; readonly by: string } {
  return prng.pick(DRAINS.filter((d) => d.gpuOnly !== true || node.gpus > 0));
}

/** Every node of every group, idle and up; booted some days before `now`. */
export function buildNodes(config: SimulatedClusterConfig, prng: Prng, now: number): SimNode[] {
  const nodes: SimNode[] = [];
  for (const group of config.nodeGroups) {
    for (let i = 1; i <= group.count; i++) {
      const cpus = group.sockets * group.coresPerSocket;
      const bootTime = now - prng.int(2, 40) * 86_400 - prng.int(0, 86_399);
      nodes.push({
        name: group.prefix + String(i).padStart(group.digits, '0'),
        index: nodes.length,
        sockets: group.sockets,
        coresPerSocket: group.coresPerSocket,
        cpus,
        memoryMB: group.memoryMB,
        gpus: group.gpus,
        gpuType: group.gpuType,
        features: group.features.join(','),
        partitions: group.partitions,
        allocCpus: 0,
        allocMemoryMB: 0,
        gpuMask: 0,
        coreUsed: new Uint8Array(cpus),
        runningJobs: 0,
        down: false,
        notResponding: false,
        drain: false,
        reason: '',
        reasonSetBy: null,
        reasonChangedAt: 0,
        bootTime,
        slurmdStartTime: bootTime + 45,
        lastBusy: now,
      });
    }
  }
  return nodes;
}

export function buildPartitions(
  config: SimulatedClusterConfig,
  nodes: readonly SimNode[],
): SimPartitionState[] {
  return config.partitions.map((p) => ({
    name: p.name,
    config: p,
    nodes: nodes.filter((n) => n.partitions.includes(p.name)).map((n) => n.index),
  }));
}

/** One user per name in the accounts (group = account), and the source's own submit user last. */
export function buildUsers(config: SimulatedClusterConfig): SimUser[] {
  const users: SimUser[] = [];
  config.accounts.forEach((account, a) => {
    for (const name of account.users) {
      users.push({
        name,
        uid: 20_001 + users.length,
        account: account.name,
        group: account.name,
        gid: 3_001 + a,
        associationId: 10 + users.length,
      });
    }
  });
  const first = config.accounts.find((a) => a.users.length > 0)?.name ?? 'root';
  users.push({
    name: SUBMIT_USER,
    uid: 1_500,
    account: first,
    group: SUBMIT_USER,
    gid: 1_500,
    associationId: 9,
  });
  return users;
}
