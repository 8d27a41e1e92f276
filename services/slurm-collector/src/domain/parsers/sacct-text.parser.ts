import type { JobRecord } from '@clocktower/contracts';
import type { RawOutput } from '../raw-output.js';
import { finishJob, jobIdentity, latestPerJob } from './job-rules.js';
import { SACCT_TEXT_FIELDS } from './slurm-commands.js';
import { decodeTextExitCode } from './slurm-exit-codes.js';
import { jobBaseState } from './slurm-states.js';
import { NO_RESOURCES, type Tres, parseTresString, resources } from './slurm-tres.js';
import {
  localTimeToIso,
  memoryToMB,
  minutesOrNull,
  nodeListOrNull,
  textOrNull,
} from './slurm-values.js';
import { type ParseOptions, atLine, splitFields, textLines } from './text-lines.js';

/**
 * `sacct --parsable2 --noheader --allocations` with the field list of SACCT_TEXT_FIELDS. The text
 * `ExitCode` (`3:0`) is right where sacct's 22.05 JSON is not. Steps (`123.batch`, `123.0`) should
 * not appear with `--allocations`; when they do, they are skipped.
 */

type SacctField = (typeof SACCT_TEXT_FIELDS)[number];
const INDEX = Object.fromEntries(SACCT_TEXT_FIELDS.map((name, i) => [name, i])) as Record<
  SacctField,
  number
>;

export function parseSacctText(
  output: RawOutput,
  cluster: string,
  options: ParseOptions = {},
): JobRecord[] {
  const offset = options.timeZoneOffsetMinutes ?? 0;
  const records: JobRecord[] = [];
  const tresCache = new Map<string, Tres>();
  for (const { line, number } of textLines(output.body)) {
    const f = splitFields(output, line, number, SACCT_TEXT_FIELDS.length);
    if (f[INDEX.JobID]!.includes('.')) continue;
    records.push(atLine(output, number, () => readJob(f, cluster, offset, tresCache)));
  }
  return latestPerJob(records);
}

function readJob(
  f: string[],
  cluster: string,
  offset: number,
  tresCache: Map<string, Tres>,
): JobRecord {
  const field = (name: SacctField): string => f[INDEX[name]]!;
  const printedId = field('JobID');
  const underscore = printedId.indexOf('_');
  const arrayJob = underscore > 0 ? printedId.slice(0, underscore) : null;
  let task = underscore > 0 ? printedId.slice(underscore + 1) : null;
  const isSpec = task !== null && task.startsWith('[');
  if (isSpec) task = task!.slice(1, task!.endsWith(']') ? -1 : undefined);
  const id = jobIdentity(field('JobIDRaw'), arrayJob, task, isSpec);

  const reqCpus = countOrNull(field('ReqCPUS'));
  const reqNodes = countOrNull(field('ReqNodes'));
  let requested = parseTresString(textOrNull(field('ReqTRES')), tresCache);
  if (requested === NO_RESOURCES) {
    requested = {
      cpus: reqCpus,
      memoryMB: memoryToMB(field('ReqMem'), reqCpus, reqNodes),
      nodes: reqNodes,
      gpus: null,
    };
  }
  const nodes = nodeListOrNull(field('NodeList'));
  let allocated = parseTresString(textOrNull(field('AllocTRES')), tresCache);
  // A pending job's AllocCPUS is its request; only a job that got nodes has an allocation.
  if (allocated === NO_RESOURCES && nodes !== null) {
    allocated = {
      cpus: countOrNull(field('AllocCPUS')),
      memoryMB: null,
      nodes: countOrNull(field('AllocNodes')),
      gpus: null,
    };
  }

  const job: JobRecord = {
    cluster,
    jobId: id.jobId,
    arrayJobId: id.arrayJobId,
    arrayTaskId: id.arrayTaskId,
    name: field('JobName'),
    user: field('User'),
    account: textOrNull(field('Account')),
    partition: textOrNull(field('Partition')),
    qos: textOrNull(field('QOS')),
    state: jobBaseState(field('State')),
    stateReason: textOrNull(field('Reason')),
    exitCode: null,
    signal: null,
    submitTime: localTimeToIso(field('Submit'), offset),
    eligibleTime: localTimeToIso(field('Eligible'), offset),
    startTime: localTimeToIso(field('Start'), offset),
    endTime: localTimeToIso(field('End'), offset),
    timeLimitMinutes: minutesOrNull(field('TimelimitRaw')),
    nodes,
    requested: resources(requested),
    allocated: resources(allocated),
    workDir: textOrNull(field('WorkDir')),
    stdout: null,
    stderr: null,
    comment: textOrNull(field('Comment')),
    restartCount: null,
  };
  return finishJob(job, decodeTextExitCode(field('ExitCode')), {
    stdout: null,
    stderr: null,
    batch: false,
  });
}

function countOrNull(text: string): number | null {
  return /^\d+$/.test(text) ? Number(text) : null;
}
