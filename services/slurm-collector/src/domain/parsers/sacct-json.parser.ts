import type { JobRecord } from '@clocktower/contracts';
import type { RawOutput } from '../raw-output.js';
import { finishJob, jobIdentity, latestPerJob } from './job-rules.js';
import { readJsonDocument, requireField } from './openapi-envelope.js';
import { decodeJsonExitCode } from './slurm-exit-codes.js';
import { SlurmValueError, withContext } from './slurm-output.errors.js';
import { jobBaseState } from './slurm-states.js';
import { NO_RESOURCES, type Tres, parseTresArray, resources } from './slurm-tres.js';
import {
  epochToIso,
  jsonString,
  nodeListOrNull,
  slurmCount,
  slurmNumber,
  textOrNull,
} from './slurm-values.js';

/**
 * `sacct --json` (and slurmrestd `GET /slurmdb/vX/jobs`), plugin dbv0.0.37 to v0.0.43. Steps are
 * nested inside their job in this format and are not records. The traps live in the shared rules:
 * 22.05 prints a non-zero exit as SUCCESS/0 beside state FAILED (recorded as unknown), a pending
 * array's tasks as a hex bitmap (`0x1C` → `2-4`), a job cancelled while pending as
 * `nodes: "None assigned"` with `time.start: null`; and, without associations, `user: null`.
 */

interface SacctJob {
  job_id?: unknown;
  array?: { job_id?: unknown; task_id?: unknown; task?: unknown } | null;
  name?: unknown;
  user?: unknown;
  account?: unknown;
  association?: { user?: unknown; account?: unknown } | null;
  partition?: unknown;
  qos?: unknown;
  state?: { current?: unknown; reason?: unknown } | null;
  exit_code?: unknown;
  time?: {
    submission?: unknown;
    eligible?: unknown;
    start?: unknown;
    end?: unknown;
    limit?: unknown;
  } | null;
  nodes?: unknown;
  required?: {
    CPUs?: unknown;
    memory?: unknown;
    memory_per_cpu?: unknown;
    memory_per_node?: unknown;
  } | null;
  tres?: { requested?: unknown; allocated?: unknown } | null;
  working_directory?: unknown;
  stdout?: unknown;
  stderr?: unknown;
  stdout_expanded?: unknown;
  stderr_expanded?: unknown;
  comment?: { job?: unknown } | null;
  restart_cnt?: unknown;
}

export function parseSacctJson(output: RawOutput, cluster: string): JobRecord[] {
  const doc = readJsonDocument(output, ['jobs']);
  const items = doc.items;
  const records: JobRecord[] = new Array<JobRecord>(items.length);
  for (let i = 0; i < items.length; i++) {
    const j = items[i] as SacctJob & Record<string, unknown>;
    try {
      records[i] = readJob(j, cluster, output, doc.version, i);
    } catch (error) {
      withContext(error, output.kind, output.format, `job ${i} (job_id ${String(j?.job_id)})`);
    }
  }
  return latestPerJob(records);
}

function readJob(
  j: SacctJob & Record<string, unknown>,
  cluster: string,
  output: RawOutput,
  version: string,
  index: number,
): JobRecord {
  if (j === null || typeof j !== 'object') throw new SlurmValueError('not an object');
  const numericId = slurmNumber(requireField(output, version, j, index, 'job_id'));
  if (numericId === null || numericId <= 0)
    throw new SlurmValueError(`job_id ${JSON.stringify(j.job_id)} is not a job id`);
  const stateObj = requireField(output, version, j, index, 'state') as NonNullable<
    SacctJob['state']
  >;
  const state = jobBaseState(stateObj.current);

  const array = j.array ?? null;
  const arrayJob = array === null ? null : slurmNumber(array.job_id);
  const arrayTask = array === null ? null : slurmNumber(array.task_id);
  const taskSpec = array === null ? null : jsonString(array.task);
  const id = jobIdentity(
    String(numericId),
    arrayJob !== null && arrayJob > 0 ? String(arrayJob) : null,
    arrayTask !== null ? String(arrayTask) : taskSpec,
    arrayTask === null && taskSpec !== null,
  );

  const time = j.time ?? {};
  const nodes = nodeListOrNull(j.nodes);
  const requested = requestedResources(j);
  const allocated = parseTresArray(j.tres?.allocated);
  const association = j.association ?? null;
  const user = jsonString(j.user) ?? jsonString(association?.user) ?? '';

  const job: JobRecord = {
    cluster,
    jobId: id.jobId,
    arrayJobId: id.arrayJobId,
    arrayTaskId: id.arrayTaskId,
    name: typeof j.name === 'string' ? j.name : '',
    user,
    account: jsonString(j.account) ?? jsonString(association?.account),
    partition: jsonString(j.partition),
    qos: jsonString(j.qos),
    state,
    stateReason: textOrNull(stateObj.reason),
    exitCode: null,
    signal: null,
    submitTime: epochToIso(time.submission),
    eligibleTime: epochToIso(time.eligible),
    startTime: epochToIso(time.start),
    endTime: epochToIso(time.end),
    timeLimitMinutes: slurmCount(time.limit),
    nodes,
    requested: resources(requested),
    allocated: resources(allocated),
    workDir: jsonString(j.working_directory),
    stdout: null,
    stderr: null,
    comment: jsonString(j.comment?.job),
    // Printed from v0.0.42 on; older sacct JSON does not say.
    restartCount: slurmCount(j.restart_cnt),
  };
  // v0.0.41+ print both the pattern and its expansion; older versions print neither, and whether
  // the job was a batch job is not said, so no default path is assumed.
  return finishJob(job, decodeJsonExitCode(j.exit_code), {
    stdout: jsonString(j.stdout_expanded) ?? jsonString(j.stdout),
    stderr: jsonString(j.stderr_expanded) ?? jsonString(j.stderr),
    batch: false,
  });
}

function requestedResources(j: SacctJob): Tres {
  const fromTres = parseTresArray(j.tres?.requested);
  if (fromTres !== NO_RESOURCES) return fromTres;
  const req = j.required ?? null;
  if (req === null) return NO_RESOURCES;
  const cpus = slurmCount(req.CPUs);
  const perCpu = slurmCount(req.memory_per_cpu);
  const perNode = slurmCount(req.memory_per_node);
  const memoryMB =
    perNode ?? (perCpu !== null && cpus !== null ? perCpu * cpus : slurmCount(req.memory));
  return { cpus, memoryMB, nodes: null, gpus: null };
}
