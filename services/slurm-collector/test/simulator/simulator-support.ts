import { SimulatedCluster } from '../../src/adapters/simulator/simulated-cluster.js';
import {
  type SimulatedClusterOverrides,
  simulatedClusterConfig,
} from '../../src/adapters/simulator/simulated-cluster.config.js';
import { renderSacctJson } from '../../src/adapters/simulator/sacct-json.render.js';
import { renderSinfoJson } from '../../src/adapters/simulator/sinfo-json.render.js';
import { renderSqueueJson } from '../../src/adapters/simulator/squeue-json.render.js';

/**
 * Shared by the simulator specs (in src and here): typed views of the
 * JSON it prints, and a small quiet cluster where nothing happens unless a test makes it happen.
 */

export interface SqueueJob {
  readonly job_id: number;
  readonly job_state: string;
  readonly state_reason: string;
  readonly array_job_id: number;
  readonly array_task_id: number | null;
  readonly array_task_string: string;
  readonly array_max_tasks: number;
  readonly nodes: string;
  readonly exit_code: number;
  readonly restart_cnt: number;
  readonly name: string;
  readonly user_name: string;
  readonly partition: string;
  readonly priority: number;
  readonly dependency: string;
  readonly start_time: number;
  readonly end_time: number;
  readonly eligible_time: number;
  readonly submit_time: number;
  readonly cpus: number | null;
  readonly tres_req_str: string;
  readonly tres_alloc_str: string;
  readonly tres_per_node: string;
  readonly gres_detail: string[];
  readonly job_resources?: { readonly nodes: string; readonly allocated_cores: number };
}

export interface SinfoNode {
  readonly name: string;
  readonly state: string;
  readonly state_flags: string[];
  readonly reason: string;
  readonly reason_set_by_user: string | null;
  readonly reason_changed_at: number;
  readonly cpus: number;
  readonly alloc_cpus: number;
  readonly real_memory: number;
  readonly alloc_memory: number;
  readonly cpu_load: number;
  readonly gres: string;
  readonly gres_used: string;
  readonly partitions: string[];
}

export interface SacctJob {
  readonly job_id: number;
  readonly state: { readonly current: string; readonly reason: string };
  readonly nodes: string;
  readonly exit_code: {
    readonly status: string;
    readonly return_code: number | null;
    readonly signal?: { signal_id: number };
  };
  readonly kill_request_user: string | null;
  readonly array: {
    readonly job_id: number;
    readonly task: string | null;
    readonly task_id: number | null;
  };
  readonly time: { readonly start: number | null; readonly end: number; readonly elapsed: number };
}

export interface SlurmDocument<T> {
  readonly meta: { readonly plugin: { readonly type: string } };
  readonly errors: unknown[];
  readonly jobs: T[];
  readonly nodes: T[];
}

export function squeue(cluster: SimulatedCluster): SqueueJob[] {
  return (JSON.parse(renderSqueueJson(cluster)) as SlurmDocument<SqueueJob>).jobs;
}

export function sinfo(cluster: SimulatedCluster): SinfoNode[] {
  return (JSON.parse(renderSinfoJson(cluster)) as SlurmDocument<SinfoNode>).nodes;
}

export function sacct(cluster: SimulatedCluster, since = 0, until = cluster.now): SacctJob[] {
  return (JSON.parse(renderSacctJson(cluster, since, until)) as SlurmDocument<SacctJob>).jobs;
}

export function queued(cluster: SimulatedCluster, jobId: number): SqueueJob | undefined {
  return squeue(cluster).find((j) => j.job_id === jobId);
}

export const QUIET_START = 1_767_600_000;

/** Two 8-CPU nodes in `cpu`, one 2-GPU node in `gpu`; no arrivals, no incidents, no warm-up. */
export function quietCluster(overrides: SimulatedClusterOverrides = {}): SimulatedCluster {
  return new SimulatedCluster(
    simulatedClusterConfig({
      seed: 11,
      startTime: QUIET_START,
      warmUpSeconds: 0,
      arrivalsPerHour: 0,
      incidents: { drainsPerDay: 0, failuresPerDay: 0 },
      nodeGroups: [
        {
          prefix: 'n',
          count: 2,
          digits: 2,
          sockets: 2,
          coresPerSocket: 4,
          memoryMB: 16_000,
          gpus: 0,
          gpuType: null,
          features: ['cpu'],
          partitions: ['cpu', 'debug'],
        },
        {
          prefix: 'g',
          count: 1,
          digits: 2,
          sockets: 2,
          coresPerSocket: 4,
          memoryMB: 64_000,
          gpus: 2,
          gpuType: 'a100',
          features: ['gpu', 'a100'],
          partitions: ['gpu'],
        },
      ],
      ...overrides,
    }),
  );
}
