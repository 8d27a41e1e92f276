import type { JobRecord } from '@clocktower/contracts';
import type { RawOutput } from '../raw-output.js';
import { finishJob, jobIdentity } from './job-rules.js';
import { readJsonDocument, requireField } from './openapi-envelope.js';
import { decodeJsonExitCode } from './slurm-exit-codes.js';
import { SlurmValueError, withContext } from './slurm-output.errors.js';
import { jobBaseState } from './slurm-states.js';
import {
  NO_RESOURCES,
  type Tres,
  parseTresString,
  requestedGpus,
  resources,
} from './slurm-tres.js';
import {
  epochToIso,
  jsonString,
  nodeListOrNull,
  slurmCount,
  slurmNumber,
  textOrNull,
} from './slurm-values.js';

/**
 * `squeue --json` (and slurmrestd `GET /slurm/vX/jobs`), plugin v0.0.37 to v0.0.43: one pass over
 * the parsed jobs, each field read in whichever shape its version prints (plain numbers or
 * `{set, infinite, number}`, job_state string or list, exit_code wait status or object).
 */

/** The fields read, in all their versions' shapes. */
interface SqueueJob {
  job_id?: unknown;
  array_job_id?: unknown;
  array_task_id?: unknown;
  array_task_string?: unknown;
  name?: unknown;
  user_name?: unknown;
  user_id?: unknown;
  account?: unknown;
  partition?: unknown;
  qos?: unknown;
  job_state?: unknown;
  state_reason?: unknown;
  exit_code?: unknown;
  submit_time?: unknown;
  eligible_time?: unknown;
  start_time?: unknown;
  end_time?: unknown;
  time_limit?: unknown;
  nodes?: unknown;
  node_count?: unknown;
  cpus?: unknown;
  memory_per_node?: unknown;
  memory_per_cpu?: unknown;
  tres_req_str?: unknown;
  tres_alloc_str?: unknown;
  tres_per_node?: unknown;
  tres_per_job?: unknown;
  tres_per_task?: unknown;
  tasks?: unknown;
  current_working_directory?: unknown;
  standard_output?: unknown;
  standard_error?: unknown;
  stdout_expanded?: unknown;
  stderr_expanded?: unknown;
  comment?: unknown;
  batch_flag?: unknown;
  restart_cnt?: unknown;
}

export function parseSqueueJson(output: RawOutput, cluster: string): JobRecord[] {
  const doc = readJsonDocument(output, ['jobs']);
  const items = doc.items;
  const records: JobRecord[] = new Array<JobRecord>(items.length);
  const tresCache = new Map<string, Tres>();
  for (let i = 0; i < items.length; i++) {
    const j = items[i] as SqueueJob & Record<string, unknown>;
    try {
      records[i] = readJob(j, cluster, tresCache, output, doc.version, i);
    } catch (error) {
      withContext(error, output.kind, output.format, `job ${i} (job_id ${String(j?.job_id)})`);
    }
  }
  return records;
}

function readJob(
  j: SqueueJob & Record<string, unknown>,
  cluster: string,
  tresCache: Map<string, Tres>,
  output: RawOutput,
  version: string,
  index: number,
): JobRecord {
  if (j === null || typeof j !== 'object') throw new SlurmValueError('not an object');
  const numericId = slurmNumber(requireField(output, version, j, index, 'job_id'));
  if (numericId === null || numericId <= 0)
    throw new SlurmValueError(`job_id ${JSON.stringify(j.job_id)} is not a job id`);
  const state = jobBaseState(requireField(output, version, j, index, 'job_state'));
  const arrayJob = slurmNumber(j.array_job_id);
  const arrayTask = slurmNumber(j.array_task_id);
  const taskString = jsonString(j.array_task_string);
  const id = jobIdentity(
    String(numericId),
    arrayJob !== null && arrayJob > 0 ? String(arrayJob) : null,
    arrayTask !== null ? String(arrayTask) : taskString,
    arrayTask === null && taskString !== null,
  );
  const nodes = nodeListOrNull(j.nodes);
  const nodeCount = slurmCount(j.node_count);
  const gpusElsewhere = requestedGpus(
    jsonString(j.tres_per_job),
    jsonString(j.tres_per_node),
    nodeCount,
    jsonString(j.tres_per_task),
    slurmCount(j.tasks),
  );
  const requested = requestedResources(j, nodeCount, tresCache);
  let allocated = parseTresString(jsonString(j.tres_alloc_str), tresCache);
  if (allocated !== NO_RESOURCES && allocated.nodes === null && nodes !== null)
    allocated = { ...allocated, nodes: nodeCount };

  const job: JobRecord = {
    cluster,
    jobId: id.jobId,
    arrayJobId: id.arrayJobId,
    arrayTaskId: id.arrayTaskId,
    name: typeof j.name === 'string' ? j.name : '',
    user:
      typeof j.user_name === 'string' && j.user_name !== ''
        ? j.user_name
        : j.user_id !== undefined
          ? String(slurmNumber(j.user_id))
          : '',
    account: jsonString(j.account),
    partition: jsonString(j.partition),
    qos: jsonString(j.qos),
    state,
    stateReason: textOrNull(j.state_reason),
    exitCode: null,
    signal: null,
    submitTime: epochToIso(j.submit_time),
    eligibleTime: epochToIso(j.eligible_time),
    startTime: epochToIso(j.start_time),
    endTime: epochToIso(j.end_time),
    timeLimitMinutes: slurmCount(j.time_limit),
    nodes,
    requested: resources(requested, gpusElsewhere),
    allocated: resources(allocated),
    workDir: jsonString(j.current_working_directory),
    stdout: null,
    stderr: null,
    comment: jsonString(j.comment),
    restartCount: slurmCount(j.restart_cnt),
  };
  // v0.0.43+ print the expansion beside the pattern; older versions only the pattern.
  return finishJob(job, decodeJsonExitCode(j.exit_code), {
    stdout: jsonString(j.stdout_expanded) ?? jsonString(j.standard_output),
    stderr: jsonString(j.stderr_expanded) ?? jsonString(j.standard_error),
    batch: j.batch_flag === true || j.batch_flag === 1,
  });
}

/** What the job asked for: its TRES request, or, when Slurm printed none, the separate fields. */
function requestedResources(
  j: SqueueJob,
  nodeCount: number | null,
  cache: Map<string, Tres>,
): Tres {
  const fromTres = parseTresString(jsonString(j.tres_req_str), cache);
  if (fromTres !== NO_RESOURCES) return fromTres;
  const cpus = slurmCount(j.cpus);
  const perNode = slurmCount(j.memory_per_node);
  const perCpu = slurmCount(j.memory_per_cpu);
  const memoryMB =
    perNode !== null && nodeCount !== null
      ? perNode * nodeCount
      : perCpu !== null && cpus !== null
        ? perCpu * cpus
        : null;
  return { cpus, memoryMB, nodes: nodeCount, gpus: null };
}
