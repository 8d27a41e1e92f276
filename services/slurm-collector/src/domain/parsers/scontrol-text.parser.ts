import type { JobRecord, NodeRecord } from '@clocktower/contracts';
import type { RawOutput } from '../raw-output.js';
import { finishJob, jobIdentity } from './job-rules.js';
import { decodeTextExitCode } from './slurm-exit-codes.js';
import { SlurmValueError } from './slurm-output.errors.js';
import { jobBaseState, nodeState } from './slurm-states.js';
import {
  NO_RESOURCES,
  type Tres,
  parseGres,
  parseTresString,
  requestedGpus,
  resources,
} from './slurm-tres.js';
import {
  durationToMinutes,
  localTimeToIso,
  nodeListOrNull,
  stringList,
  textOrNull,
} from './slurm-values.js';
import { type ParseOptions, atLine, textLines } from './text-lines.js';
import { FREE_TEXT_KEYS, KNOWN_KEYS } from './scontrol-keys.js';

/**
 * `scontrol show job -o` and `scontrol show node -o`: one record per line of `Key=Value` pairs.
 * Values of some keys are free text with spaces (`JobName=fx name with spaces`, `Reason=lab: no
 * slurmd [root@2026-11-21T16:26:04]`, `OS=Linux 6.1 #1 SMP`); for those, a following `Word=` only
 * starts a new pair when Word is a key scontrol prints, so `Comment=see x=y` stays one value.
 */

const KEY = /^([A-Za-z][A-Za-z0-9_:/]*)=/;

/** One `scontrol -o` line to its pairs. */
export function scontrolPairs(line: string): Map<string, string> {
  const pairs = new Map<string, string>();
  let key: string | null = null;
  let value = '';
  for (const token of line.split(' ')) {
    const m = KEY.exec(token);
    if (m !== null && (key === null || !FREE_TEXT_KEYS.has(key) || KNOWN_KEYS.has(m[1]!))) {
      if (key !== null) pairs.set(key, value.trimEnd());
      key = m[1]!;
      value = token.slice(m[0].length);
    } else if (key !== null) {
      value += ` ${token}`;
    }
  }
  if (key !== null) pairs.set(key, value.trimEnd());
  return pairs;
}

function isEmptySystem(body: string): boolean {
  return /^No (jobs|nodes) in the system\s*$/.test(body.trim());
}

export function parseScontrolJobs(
  output: RawOutput,
  cluster: string,
  options: ParseOptions = {},
): JobRecord[] {
  if (isEmptySystem(output.body)) return [];
  const offset = options.timeZoneOffsetMinutes ?? 0;
  const tresCache = new Map<string, Tres>();
  return textLines(output.body).map(({ line, number }) =>
    atLine(output, number, () => readJob(scontrolPairs(line), cluster, offset, tresCache)),
  );
}

function readJob(
  p: Map<string, string>,
  cluster: string,
  offset: number,
  tresCache: Map<string, Tres>,
): JobRecord {
  const get = (key: string): string => p.get(key) ?? '';
  const jobId = get('JobId');
  if (!/^\d+$/.test(jobId))
    throw new SlurmValueError(`JobId ${JSON.stringify(jobId)} is not a job id`);
  const task = textOrNull(get('ArrayTaskId'));
  const id = jobIdentity(
    jobId,
    textOrNull(get('ArrayJobId')),
    task,
    task !== null && !/^\d+$/.test(task),
  );
  const nodes = nodeListOrNull(get('NodeList'));
  // `TRES=` is the allocation once there is one and the request before; newer versions also print
  // ReqTRES/AllocTRES apart.
  const tres = textOrNull(get('TRES'));
  const reqTres = p.has('ReqTRES') ? textOrNull(get('ReqTRES')) : tres;
  const allocTres = p.has('AllocTRES')
    ? textOrNull(get('AllocTRES'))
    : nodes !== null
      ? tres
      : null;
  const requested = parseTresString(reqTres, tresCache);
  const allocated = parseTresString(allocTres, tresCache);

  const job: JobRecord = {
    cluster,
    jobId: id.jobId,
    arrayJobId: id.arrayJobId,
    arrayTaskId: id.arrayTaskId,
    name: get('JobName'),
    user: ownerName(get('UserId')) ?? '',
    account: textOrNull(get('Account')),
    partition: textOrNull(get('Partition')),
    qos: textOrNull(get('QOS')),
    state: jobBaseState(get('JobState')),
    stateReason: textOrNull(get('Reason')),
    exitCode: null,
    signal: null,
    submitTime: localTimeToIso(get('SubmitTime'), offset),
    eligibleTime: localTimeToIso(get('EligibleTime'), offset),
    startTime: localTimeToIso(get('StartTime'), offset),
    endTime: localTimeToIso(get('EndTime'), offset),
    timeLimitMinutes: durationToMinutes(get('TimeLimit')),
    nodes,
    requested: resources(
      requested === NO_RESOURCES ? fallbackRequest(p) : requested,
      requestedGpus(
        textOrNull(get('TresPerJob')),
        textOrNull(get('TresPerNode')),
        countOrNull(get('NumNodes')),
        textOrNull(get('TresPerTask')),
        countOrNull(get('NumTasks')),
      ),
    ),
    allocated: resources(allocated),
    workDir: textOrNull(get('WorkDir')),
    stdout: null,
    stderr: null,
    comment: textOrNull(get('Comment')),
    restartCount: /^\d+$/.test(get('Restarts')) ? Number(get('Restarts')) : null,
  };
  return finishJob(job, decodeTextExitCode(get('ExitCode')), {
    stdout: textOrNull(get('StdOut')),
    stderr: textOrNull(get('StdErr')),
    batch: false,
  });
}

function fallbackRequest(p: Map<string, string>): Tres {
  return {
    cpus: countOrNull(p.get('NumCPUs') ?? ''),
    memoryMB: null,
    nodes: countOrNull(p.get('NumNodes') ?? ''),
    gpus: null,
  };
}

function countOrNull(text: string): number | null {
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** `ctlab(1001)` → `ctlab`. */
function ownerName(text: string): string | null {
  const value = textOrNull(text);
  if (value === null) return null;
  const paren = value.indexOf('(');
  return paren > 0 ? value.slice(0, paren) : value;
}

export function parseScontrolNodes(
  output: RawOutput,
  cluster: string,
  options: ParseOptions = {},
): NodeRecord[] {
  if (isEmptySystem(output.body)) return [];
  const offset = options.timeZoneOffsetMinutes ?? 0;
  return textLines(output.body).map(({ line, number }) =>
    atLine(output, number, () => readNode(scontrolPairs(line), cluster, offset)),
  );
}

/** `lab: no slurmd [root@2026-11-21T16:26:04]` → reason, who, when. */
const REASON = /^(.*?)\s*\[([^@\]]*)@([^\]]+)\]$/;

function readNode(p: Map<string, string>, cluster: string, offset: number): NodeRecord {
  const get = (key: string): string => p.get(key) ?? '';
  const name = get('NodeName');
  if (name === '') throw new SlurmValueError('NodeName is missing');
  const { state, flags } = nodeState(get('State'));
  const gres = parseGres(get('Gres'));
  let reason = textOrNull(get('Reason'));
  let reasonSetBy: string | null = null;
  let reasonSince: string | null = null;
  const m = reason === null ? null : REASON.exec(reason);
  if (m !== null) {
    reason = m[1] === '' ? null : m[1]!;
    reasonSetBy = textOrNull(m[2]);
    reasonSince = localTimeToIso(m[3]!, offset);
  }
  const gresUsed = p.get('GresUsed');
  return {
    cluster,
    name,
    state,
    flags,
    reason,
    reasonSetBy: reason === null ? null : reasonSetBy,
    reasonSince: reason === null ? null : reasonSince,
    cpus: count(get('CPUTot'), 'CPUTot'),
    cpusAllocated: count(get('CPUAlloc'), 'CPUAlloc'),
    memoryMB: count(get('RealMemory'), 'RealMemory'),
    memoryAllocatedMB: p.has('AllocMem') ? count(get('AllocMem'), 'AllocMem') : 0,
    gpus: gres.gpus,
    gpusAllocated:
      gresUsed !== undefined
        ? parseGres(gresUsed).gpus
        : (parseTresString(textOrNull(get('AllocTRES'))).gpus ?? 0),
    gpuType: gres.gpuType,
    partitions: stringList(get('Partitions')),
    features: stringList(get('AvailableFeatures')),
  };
}

function count(text: string, key: string): number {
  if (!/^\d+$/.test(text))
    throw new SlurmValueError(`${key} ${JSON.stringify(text)} is not a count`);
  return Number(text);
}
