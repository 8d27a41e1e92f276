import type { JobResources, JobUserProps, JobView, NodeView } from '@clocktower/contracts';

/**
 * Clocktower's views as Clockwork's documents (pure). Clockwork keeps what its scraper read from
 * Slurm under `slurm` (its field names; times in Unix seconds; `exit_code` as `STATUS:code`), its
 * own bookkeeping under `cw`, and the job owner's notes under `user`; a job's `job_user_props` are
 * the caller's own props. Values Clocktower does not track are left out rather than invented.
 */

export interface ClockworkJob {
  readonly slurm: Record<string, unknown>;
  readonly cw: { readonly mila_email_username: string | null; readonly last_slurm_update: number };
  readonly user: JobUserProps;
  readonly job_user_props: JobUserProps;
}

export interface ClockworkNode {
  readonly slurm: Record<string, unknown>;
  readonly cw: { readonly gpu: Record<string, unknown>; readonly last_slurm_update: number };
}

/** Unix seconds (Clockwork's times), or null for a time not (yet) known. */
export function unixSeconds(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** `last_slurm_update` is a float of seconds in Clockwork (Python's time.time()). */
function unixTime(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** Clockwork's exit_code: `SUCCESS:0`, `ERROR:<code>`, `SIGNALED:<signal>`; null before the end. */
export function exitCodeOf(job: Pick<JobView, 'exitCode' | 'signal'>): string | null {
  if (job.signal !== null && job.signal !== undefined && job.signal !== 0)
    return `SIGNALED:${job.signal}`;
  if (job.exitCode === null || job.exitCode === undefined) return null;
  return job.exitCode === 0 ? 'SUCCESS:0' : `ERROR:${job.exitCode}`;
}

/** Clockwork's TRES dicts (`num_cpus`, `mem` in MB, `num_gpus`, `num_nodes`), known values only. */
function tres(resources: JobResources): Record<string, number> {
  const out: Record<string, number> = {};
  if (resources.cpus !== null && resources.cpus !== undefined) out['num_cpus'] = resources.cpus;
  if (resources.memoryMB !== null && resources.memoryMB !== undefined)
    out['mem'] = resources.memoryMB;
  if (resources.gpus !== null && resources.gpus !== undefined) out['num_gpus'] = resources.gpus;
  if (resources.nodes !== null && resources.nodes !== undefined) out['num_nodes'] = resources.nodes;
  return out;
}

/**
 * A job as Clockwork's `jobs/list` and `jobs/one` give it. `email` is the Clocktower user whose
 * Slurm login ran it (Clockwork's `mila_email_username`), null when no user has that login;
 * `props` the caller's own props on it.
 */
export function clockworkJob(
  job: JobView,
  email: string | null,
  props: JobUserProps,
): ClockworkJob {
  return {
    slurm: {
      account: job.account,
      cluster_name: job.cluster,
      job_id: job.jobId,
      // Clockwork's scraper writes "0" and "None" for a job outside any array.
      array_job_id: job.arrayJobId ?? '0',
      array_task_id: job.arrayTaskId ?? 'None',
      name: job.name,
      username: job.user,
      job_state: job.state,
      exit_code: exitCodeOf(job),
      time_limit: job.timeLimitMinutes,
      submit_time: unixSeconds(job.submitTime),
      start_time: unixSeconds(job.startTime),
      end_time: unixSeconds(job.endTime),
      partition: job.partition,
      nodes: job.nodes ?? 'None assigned',
      tres_requested: tres(job.requested),
      tres_allocated: tres(job.allocated),
      working_directory: job.workDir,
    },
    cw: { mila_email_username: email, last_slurm_update: unixTime(job.updatedAt) },
    user: props,
    job_user_props: props,
  };
}

function tresText(cpus: number, memoryMB: number, gpus: number): string {
  return `cpu=${cpus},mem=${memoryMB}M${gpus > 0 ? `,gres/gpu=${gpus}` : ''}`;
}

/** A node as Clockwork's `nodes/list` and `nodes/one` give it. */
export function clockworkNode(node: NodeView): ClockworkNode {
  const gpu =
    node.gpus > 0
      ? { name: node.gpuType, cw_name: node.gpuType, number: node.gpus }
      : ({} as Record<string, unknown>);
  return {
    slurm: {
      name: node.name,
      cluster_name: node.cluster,
      state: node.state,
      state_flags: node.flags,
      reason: node.reason,
      features: node.features.join(','),
      gres: node.gpus > 0 ? `gpu:${node.gpuType ? `${node.gpuType}:` : ''}${node.gpus}` : null,
      memory: node.memoryMB,
      cpus: node.cpus,
      partitions: node.partitions,
      cfg_tres: tresText(node.cpus, node.memoryMB, node.gpus),
      alloc_tres:
        node.cpusAllocated + node.memoryAllocatedMB + node.gpusAllocated > 0
          ? tresText(node.cpusAllocated, node.memoryAllocatedMB, node.gpusAllocated)
          : null,
    },
    cw: { gpu, last_slurm_update: unixTime(node.updatedAt) },
  };
}
