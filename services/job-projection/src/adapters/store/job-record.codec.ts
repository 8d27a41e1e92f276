import type { JobRecord, JobResources } from '@clocktower/contracts';

/**
 * A JobRecord stored as a JSON array of its values in a fixed order: half the bytes of the object
 * (its keys repeat in every row), so twice the rows per page, and a batch dirties (and the WAL
 * writes) half as many pages. Fields outside JobRecord are not kept. Changing the order or the
 * fields is a schema change (SCHEMA_VERSION): the read model is then rebuilt.
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

export function encodeJobRecord(r: JobRecord): string {
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

export function decodeJobRecord(text: string): JobRecord {
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
