import { formatRanges } from '@clocktower/contracts';
import { hash32 } from './prng.js';
import type { SimJob, SimNode, SimUser } from './simulated-job.js';

/** What a renderer reads of a cluster: the simulated cluster and the benchmark fixture both offer it. */
export interface ClusterView {
  readonly clusterName: string;
  /** Virtual epoch seconds. */
  readonly now: number;
  readonly nodes: readonly SimNode[];
  readonly users: readonly SimUser[];
  readonly minJobAgeSeconds: number;
  jobs(): Iterable<SimJob>;
}

/** The release the simulator speaks: Slurm 22.05.8 (OpenAPI plugins v0.0.38 and dbv0.0.38). */
export const SIMULATED_SLURM_RELEASE = '22.05.8';

const VERSION = { major: 22, micro: 8, minor: 5 } as const;

/** `meta` as squeue/sinfo (`ctld`) and sacct (`db`) print it. */
export function openapiMeta(plugin: 'ctld' | 'db'): object {
  return {
    plugin:
      plugin === 'ctld'
        ? { type: 'openapi/v0.0.38', name: 'Slurm OpenAPI v0.0.38' }
        : { type: 'openapi/dbv0.0.38', name: 'Slurm OpenAPI DB v0.0.38' },
    Slurm: { version: { ...VERSION }, release: SIMULATED_SLURM_RELEASE },
  };
}

/**
 * Slurm serializes with its own JSON writer, which escapes every `/` as `\/`. Parsed, the values
 * are the same; the bytes match a real capture only with the escape.
 */
export function slurmJson(document: object): string {
  return JSON.stringify(document).replaceAll('/', '\\/');
}

/** Memory as TRES strings print it: in G when a whole number of GiB (1024M → 1G), else in M. */
export function formatMemory(mb: number): string {
  if (mb > 0 && mb % (1024 * 1024) === 0) return `${mb / (1024 * 1024)}T`;
  if (mb > 0 && mb % 1024 === 0) return `${mb / 1024}G`;
  return `${mb}M`;
}

/** Total memory of a job over all its nodes, in MB. */
export function jobMemoryMB(job: SimJob): number {
  return job.memoryPerCpu ? job.memoryMB * job.cpus : job.memoryMB * job.nodeCount;
}

/** `cpu=2,mem=300M,node=1,billing=2[,gres/gpu=2]`: a job's tres_req_str / tres_alloc_str. */
export function jobTres(job: SimJob): string {
  const gpus = job.gpusPerNode * job.nodeCount;
  return (
    `cpu=${job.cpus},mem=${formatMemory(jobMemoryMB(job))},node=${job.nodeCount},billing=${job.cpus}` +
    (gpus > 0 ? `,gres/gpu=${gpus}` : '')
  );
}

/** `gres:gpu:a100:2`: how 22.05 prints a job's `--gres` (23.02 changed the prefix to `gres/`). */
export function jobTresPerNode(job: SimJob): string {
  if (job.gpusPerNode === 0) return '';
  return `gres:gpu:${job.gpuType === null ? '' : `${job.gpuType}:`}${job.gpusPerNode}`;
}

/** `gpu:a100:2(IDX:0-1)`: one entry per allocated node holding GPUs. */
export function gpuDetail(gpuType: string | null, gpus: readonly number[]): string {
  const type = gpuType === null ? '' : `${gpuType}:`;
  return `gpu:${type}${gpus.length}(IDX:${gpus.length === 0 ? 'N/A' : formatRanges([...gpus].sort((a, b) => a - b))})`;
}

/** An array's pending tasks as sacct's `array.task` prints them: a hex bitmap (`2-4` → `0x1C`). */
export function taskBitmap(tasks: readonly number[]): string {
  const max = tasks.reduce((m, t) => Math.max(m, t), 0);
  const nibbles = new Uint8Array(Math.floor(max / 4) + 1);
  for (const t of tasks) nibbles[t >> 2]! |= 1 << (t & 3);
  let hex = '';
  for (let i = nibbles.length - 1; i >= 0; i--) hex += (nibbles[i] ?? 0).toString(16).toUpperCase();
  return `0x${hex.replace(/^0+(?=.)/, '')}`;
}

const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  1: 'Hangup',
  2: 'Interrupt',
  3: 'Quit',
  6: 'Aborted',
  9: 'Killed',
  11: 'Segmentation fault',
  15: 'Terminated',
};

/** sacct's `exit_code` object from a raw wait status. */
export function sacctExitCode(status: number): object {
  const signal = status & 0x7f;
  if (signal !== 0) {
    return {
      status: 'SIGNALED',
      return_code: null,
      signal: { signal_id: signal, name: SIGNAL_NAMES[signal] ?? `Signal ${signal}` },
    };
  }
  const code = (status >> 8) & 0xff;
  return code === 0
    ? { status: 'SUCCESS', return_code: 0 }
    : { status: 'FAILED', return_code: code };
}

/** Noise in [0, 1) that looks random but is a pure function of its inputs (a render never draws randomness). */
export function noise(a: number, b: number): number {
  return hash32(hash32(a) ^ b) / 4294967296;
}
