import type { JobRecord } from '@clocktower/contracts';
import type { RawOutput } from '../raw-output.js';
import { finishJob, jobIdentity } from './job-rules.js';
import { SQUEUE_TEXT_FIELDS } from './slurm-commands.js';
import { decodeWaitStatus } from './slurm-exit-codes.js';
import { jobBaseState } from './slurm-states.js';
import { gpusPerNode } from './slurm-tres.js';
import { durationToMinutes, localTimeToIso, nodeListOrNull, textOrNull } from './slurm-values.js';
import { type ParseOptions, atLine, splitFields, textLines } from './text-lines.js';

/**
 * `squeue -o` with the field list of SQUEUE_TEXT_FIELDS. What this format cannot say, the record
 * leaves null rather than guess: memory (`%m` is per CPU or per node, and does not say which),
 * exit codes (squeue -o prints none), GPUs requested per job or per task (`%b` is per node only),
 * and the allocation apart from CPUs and nodes.
 */

type SqueueField = (typeof SQUEUE_TEXT_FIELDS)[number][1];
const INDEX = Object.fromEntries(SQUEUE_TEXT_FIELDS.map(([, name], i) => [name, i])) as Record<
  SqueueField,
  number
>;

export function parseSqueueText(
  output: RawOutput,
  cluster: string,
  options: ParseOptions = {},
): JobRecord[] {
  const offset = options.timeZoneOffsetMinutes ?? 0;
  const records: JobRecord[] = [];
  for (const { line, number } of textLines(output.body)) {
    const f = splitFields(output, line, number, SQUEUE_TEXT_FIELDS.length);
    records.push(atLine(output, number, () => readJob(f, cluster, offset)));
  }
  return records;
}

function readJob(f: string[], cluster: string, offset: number): JobRecord {
  const field = (name: SqueueField): string => f[INDEX[name]]!;
  const printedId = field('jobId');
  const rawId = field('jobIdRaw');
  const arrayJob = field('arrayJobId');
  const task = textOrNull(field('arrayTaskId'));
  // `%K` is N/A outside an array; `%i` shows `[...]` for a pending array's meta-record.
  const id = jobIdentity(rawId, task !== null ? arrayJob : null, task, printedId.includes('['));

  const state = jobBaseState(field('state'));
  const nodes = nodeListOrNull(field('nodes'));
  const cpus = countOrNull(field('cpus'));
  const nodeCount = countOrNull(field('nodeCount'));
  const perNodeGpus = gpusPerNode(textOrNull(field('tresPerNode')));
  const gpus = perNodeGpus === null || nodeCount === null ? null : perNodeGpus * nodeCount;
  const allocated = nodes !== null;

  const job: JobRecord = {
    cluster,
    jobId: id.jobId,
    arrayJobId: id.arrayJobId,
    arrayTaskId: id.arrayTaskId,
    name: field('name'),
    user: field('user'),
    account: textOrNull(field('account')),
    partition: textOrNull(field('partition')),
    qos: textOrNull(field('qos')),
    state,
    stateReason: textOrNull(field('reason')),
    exitCode: null,
    signal: null,
    submitTime: localTimeToIso(field('submitTime'), offset),
    eligibleTime: null,
    startTime: localTimeToIso(field('startTime'), offset),
    endTime: localTimeToIso(field('endTime'), offset),
    timeLimitMinutes: durationToMinutes(field('timeLimit')),
    nodes,
    // `%C` and `%D` are the request while pending and the allocation once running.
    requested: { cpus, memoryMB: null, gpus, nodes: nodeCount },
    allocated: allocated
      ? { cpus, memoryMB: null, gpus, nodes: nodeCount }
      : { cpus: null, memoryMB: null, gpus: null, nodes: null },
    workDir: textOrNull(field('workDir')),
    stdout: null,
    stderr: null,
    comment: textOrNull(field('comment')),
    restartCount: null,
  };
  return finishJob(job, decodeWaitStatus(null), { stdout: null, stderr: null, batch: false });
}

function countOrNull(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  return Number(text);
}
