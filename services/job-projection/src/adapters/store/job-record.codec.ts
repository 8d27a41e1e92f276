import type { JobRecord, JobResources } from '@clocktower/contracts';

/**
 * A JobRecord is stored as the JSON object that the API answers, every field present (null when
 * absent) in a fixed order: a page of jobs is then built by joining stored text (jobViewJson)
 * instead of parsing each row and stringifying the page again, about ten times cheaper per page,
 * which is most of what job-projection spends answering a list. Fields outside JobRecord are not
 * kept. Rows written before this (a JSON array of the values in the same order, half the bytes)
 * are still read, and rewritten in this form when their job next changes or on a rebuild.
 */
type Encoded = [
  cluster: string,
  jobId: string,
  arrayJobId: string | null,
  arrayTaskId: string | null,
  name: string,
  user: string,
  account: string | null,
  partition: string | null,
  qos: string | null,
  state: string,
  stateReason: string | null,
  exitCode: number | null,
  signal: number | null,
  submitTime: string | null,
  eligibleTime: string | null,
  startTime: string | null,
  endTime: string | null,
  timeLimitMinutes: number | null,
  nodes: string | null,
  requested: ResourcesTuple,
  allocated: ResourcesTuple,
  workDir: string | null,
  stdout: string | null,
  stderr: string | null,
  comment: string | null,
  restartCount: number | null,
];
type ResourcesTuple = [number | null, number | null, number | null, number | null];

const res = (r: JobResources | undefined): ResourcesTuple => [
  r?.cpus ?? null,
  r?.memoryMB ?? null,
  r?.gpus ?? null,
  r?.nodes ?? null,
];

const resources = (r: JobResources | undefined): Required<JobResources> => ({
  cpus: r?.cpus ?? null,
  memoryMB: r?.memoryMB ?? null,
  gpus: r?.gpus ?? null,
  nodes: r?.nodes ?? null,
});

export function encodeJobRecord(r: JobRecord): string {
  const stored: JobRecord = {
    cluster: r.cluster,
    jobId: r.jobId,
    arrayJobId: r.arrayJobId ?? null,
    arrayTaskId: r.arrayTaskId ?? null,
    name: r.name,
    user: r.user,
    account: r.account ?? null,
    partition: r.partition ?? null,
    qos: r.qos ?? null,
    state: r.state,
    stateReason: r.stateReason ?? null,
    exitCode: r.exitCode ?? null,
    signal: r.signal ?? null,
    submitTime: r.submitTime ?? null,
    eligibleTime: r.eligibleTime ?? null,
    startTime: r.startTime ?? null,
    endTime: r.endTime ?? null,
    timeLimitMinutes: r.timeLimitMinutes ?? null,
    nodes: r.nodes ?? null,
    requested: resources(r.requested),
    allocated: resources(r.allocated),
    workDir: r.workDir ?? null,
    stdout: r.stdout ?? null,
    stderr: r.stderr ?? null,
    comment: r.comment ?? null,
    restartCount: r.restartCount ?? null,
  };
  return JSON.stringify(stored);
}

/** Is this stored text the older array form? */
const isArrayForm = (text: string): boolean => text.charCodeAt(0) === 0x5b; // '['

/**
 * A job's API view (the record, then stream, updatedAt and position) as JSON text, from the stored
 * record text and the row's columns: the same text as JSON.stringify of the view object.
 */
export function jobViewJson(
  record: string,
  stream: string,
  updatedAt: string,
  position: number,
): string {
  const object = isArrayForm(record) ? JSON.stringify(decodeJobRecord(record)) : record;
  // updatedAt is an ISO time and position a number: neither needs escaping.
  return `${object.slice(0, -1)},"stream":${JSON.stringify(stream)},"updatedAt":"${updatedAt}","position":"${position}"}`;
}

export function decodeJobRecord(text: string): JobRecord {
  return isArrayForm(text) ? decodeArrayForm(text) : (JSON.parse(text) as JobRecord);
}

/** The older stored form, written as JSON of an Encoded array. */
export function encodeArrayForm(r: JobRecord): string {
  const encoded: Encoded = [
    r.cluster,
    r.jobId,
    r.arrayJobId ?? null,
    r.arrayTaskId ?? null,
    r.name,
    r.user,
    r.account ?? null,
    r.partition ?? null,
    r.qos ?? null,
    r.state,
    r.stateReason ?? null,
    r.exitCode ?? null,
    r.signal ?? null,
    r.submitTime ?? null,
    r.eligibleTime ?? null,
    r.startTime ?? null,
    r.endTime ?? null,
    r.timeLimitMinutes ?? null,
    r.nodes ?? null,
    res(r.requested),
    res(r.allocated),
    r.workDir ?? null,
    r.stdout ?? null,
    r.stderr ?? null,
    r.comment ?? null,
    r.restartCount ?? null,
  ];
  return JSON.stringify(encoded);
}

function decodeArrayForm(text: string): JobRecord {
  const e = JSON.parse(text) as Encoded;
  const [cpus, memoryMB, gpus, nodes] = e[19];
  const [aCpus, aMemoryMB, aGpus, aNodes] = e[20];
  return {
    cluster: e[0],
    jobId: e[1],
    arrayJobId: e[2],
    arrayTaskId: e[3],
    name: e[4],
    user: e[5],
    account: e[6],
    partition: e[7],
    qos: e[8],
    state: e[9],
    stateReason: e[10],
    exitCode: e[11],
    signal: e[12],
    submitTime: e[13],
    eligibleTime: e[14],
    startTime: e[15],
    endTime: e[16],
    timeLimitMinutes: e[17],
    nodes: e[18],
    requested: { cpus, memoryMB, gpus, nodes },
    allocated: { cpus: aCpus, memoryMB: aMemoryMB, gpus: aGpus, nodes: aNodes },
    workDir: e[21],
    stdout: e[22],
    stderr: e[23],
    comment: e[24],
    restartCount: e[25],
  };
}
