import { GENERIC_JOB_FIELDS } from '@clocktower/contracts';

/**
 * Structural guards for the events the projection folds. class-validator (what the contracts'
 * classes carry) costs tens of microseconds per event; a rebuild must fold 100,000 events a second,
 * so each guard checks by hand exactly the fields the fold and the read model's columns read, and
 * a JobSubmitted/NodeAdded record gets every required field checked. What passes here cannot make
 * the fold or a column write throw; what fails is parked with the returned reason.
 *
 * Each guard returns null when the data is usable, else the reason naming the field.
 */
export type Guard = (data: Record<string, unknown>) => string | null;

type Check = (value: unknown) => boolean;

const str: Check = (v) => typeof v === 'string';
const nonEmpty: Check = (v) => typeof v === 'string' && v !== '';
/** Optional fields (`@IsOptional`): absent or null both mean "not known". */
const optStr: Check = (v) => v === null || v === undefined || typeof v === 'string';
const int: Check = (v) => typeof v === 'number' && Number.isInteger(v);
const optInt: Check = (v) => v === null || v === undefined || int(v);
const count: Check = (v) => int(v) && (v as number) >= 0;
const optCount: Check = (v) => v === null || v === undefined || count(v);
const strList: Check = (v) => Array.isArray(v) && v.every((s) => typeof s === 'string');
const bool: Check = (v) => typeof v === 'boolean';
const object: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

function fields(spec: Readonly<Record<string, Check>>, prefix = ''): Guard {
  const entries = Object.entries(spec);
  return (data) => {
    for (const [name, check] of entries) {
      if (!check(data[name])) return `${prefix}${name}: ${describe(data[name])}`;
    }
    return null;
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? typeof value;
  return `unexpected value ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`;
}

function nested(name: string, guard: Guard): Guard {
  return (data) => {
    const value = data[name];
    if (!object(value)) return `${name}: ${describe(value)}`;
    return guard(value as Record<string, unknown>);
  };
}

function all(...guards: Guard[]): Guard {
  return (data) => {
    for (const guard of guards) {
      const problem = guard(data);
      if (problem !== null) return problem;
    }
    return null;
  };
}

const resources = (prefix: string): Guard =>
  fields({ cpus: optCount, memoryMB: optCount, gpus: optCount, nodes: optCount }, prefix);

const jobRecord: Guard = all(
  fields(
    {
      cluster: nonEmpty,
      jobId: nonEmpty,
      arrayJobId: optStr,
      arrayTaskId: optStr,
      name: str,
      user: str,
      account: optStr,
      partition: optStr,
      qos: optStr,
      state: nonEmpty,
      stateReason: optStr,
      exitCode: optInt,
      signal: optInt,
      submitTime: optStr,
      eligibleTime: optStr,
      startTime: optStr,
      endTime: optStr,
      timeLimitMinutes: optCount,
      nodes: optStr,
      workDir: optStr,
      stdout: optStr,
      stderr: optStr,
      comment: optStr,
      restartCount: optCount,
    },
    'record.',
  ),
  (d) => (object(d['requested']) ? null : `record.requested: ${describe(d['requested'])}`),
  (d) => (object(d['allocated']) ? null : `record.allocated: ${describe(d['allocated'])}`),
  (d) => resources('record.requested.')(d['requested'] as Record<string, unknown>),
  (d) => resources('record.allocated.')(d['allocated'] as Record<string, unknown>),
);

/** The kind of value each changeable job field holds (JobResourcesChanged writes them). */
const JOB_FIELD_CHECKS: Readonly<Record<string, Check>> = {
  arrayJobId: optStr,
  arrayTaskId: optStr,
  name: str,
  user: str,
  account: optStr,
  partition: optStr,
  qos: optStr,
  submitTime: optStr,
  eligibleTime: optStr,
  timeLimitMinutes: optCount,
  nodes: optStr,
  'requested.cpus': optCount,
  'requested.memoryMB': optCount,
  'requested.gpus': optCount,
  'requested.nodes': optCount,
  'allocated.cpus': optCount,
  'allocated.memoryMB': optCount,
  'allocated.gpus': optCount,
  'allocated.nodes': optCount,
  workDir: optStr,
  stdout: optStr,
  stderr: optStr,
  comment: optStr,
  stateReason: optStr,
};
// The collector may only change these (GENERIC_JOB_FIELDS and stateReason): keep the two in step.
for (const field of GENERIC_JOB_FIELDS) {
  if (!(field in JOB_FIELD_CHECKS)) throw new Error(`no guard for job field ${field}`);
}

/** A field outside the list (`jobId`, `state`) would let a change event rewrite identity. */
function changes(checks: Readonly<Record<string, Check>>): Guard {
  return (data) => {
    const value = data['changes'];
    if (!object(value)) return `changes: ${describe(value)}`;
    for (const [field, change] of Object.entries(value as Record<string, unknown>)) {
      const check = checks[field];
      if (!check) return `changes.${field}: not a field that can change`;
      if (!object(change) || !('to' in (change as object)))
        return `changes.${field}: ${describe(change)}`;
      if (!check((change as { to: unknown }).to))
        return `changes.${field}.to: ${describe((change as { to: unknown }).to)}`;
    }
    return null;
  };
}

const jobBase = fields({ cluster: nonEmpty, jobId: nonEmpty });

export const JOB_GUARDS: Readonly<Record<string, Guard>> = {
  JobSubmitted: all(
    jobBase,
    fields({ slurmTime: optStr }),
    nested('record', jobRecord),
    // The record's identity must be the event's: the read model keys the job by it.
    (d) => {
      const r = d['record'] as Record<string, unknown>;
      if (r['cluster'] !== d['cluster']) return 'record.cluster: differs from cluster';
      return null;
    },
  ),
  JobStateChanged: all(jobBase, fields({ to: nonEmpty, reason: optStr, slurmTime: optStr })),
  JobPendingReasonChanged: all(jobBase, fields({ to: optStr })),
  JobStarted: all(
    jobBase,
    fields({ nodes: optStr, slurmTime: optStr }),
    nested('allocated', resources('allocated.')),
  ),
  JobRequeued: all(jobBase, fields({ restartCount: optCount, slurmTime: optStr })),
  JobResourcesChanged: all(jobBase, changes(JOB_FIELD_CHECKS)),
  JobEnded: all(
    jobBase,
    fields({
      state: nonEmpty,
      exitCode: optInt,
      signal: optInt,
      reason: optStr,
      slurmTime: optStr,
    }),
  ),
  JobLeftController: all(jobBase, fields({ lastState: str })),
};

const nodeRecord: Guard = fields(
  {
    cluster: nonEmpty,
    name: nonEmpty,
    state: nonEmpty,
    flags: strList,
    reason: optStr,
    reasonSetBy: optStr,
    reasonSince: optStr,
    cpus: count,
    cpusAllocated: count,
    memoryMB: count,
    memoryAllocatedMB: count,
    gpus: count,
    gpusAllocated: count,
    gpuType: optStr,
    partitions: strList,
    features: strList,
  },
  'record.',
);

const NODE_FIELD_CHECKS: Readonly<Record<string, Check>> = {
  cpus: count,
  memoryMB: count,
  gpus: count,
  gpuType: optStr,
  partitions: strList,
  features: strList,
};

const nodeBase = fields({ cluster: nonEmpty, node: nonEmpty });

export const NODE_GUARDS: Readonly<Record<string, Guard>> = {
  NodeAdded: all(nodeBase, nested('record', nodeRecord), (d) => {
    const r = d['record'] as Record<string, unknown>;
    if (r['name'] !== d['node']) return 'record.name: differs from node';
    if (r['cluster'] !== d['cluster']) return 'record.cluster: differs from cluster';
    return null;
  }),
  NodeStateChanged: all(
    nodeBase,
    fields({
      toState: nonEmpty,
      toFlags: strList,
      reason: optStr,
      reasonSetBy: optStr,
      reasonSince: optStr,
    }),
  ),
  NodeResourcesChanged: all(nodeBase, changes(NODE_FIELD_CHECKS)),
  NodeAllocationChanged: all(
    nodeBase,
    fields({ cpusAllocated: count, memoryAllocatedMB: count, gpusAllocated: count }),
  ),
  NodeRemoved: all(nodeBase, fields({ lastState: str })),
};

export const CLUSTER_GUARDS: Readonly<Record<string, Guard>> = {
  ClusterReachable: fields({ cluster: nonEmpty, source: str, simulated: bool }),
  ClusterUnreachable: fields({ cluster: nonEmpty, source: str, reason: str }),
};

export const FoldCategory = { Job: 'job', Node: 'node', Cluster: 'cluster' } as const;
export type FoldCategory = (typeof FoldCategory)[keyof typeof FoldCategory];

const GUARDS_BY_CATEGORY: Readonly<Record<FoldCategory, Readonly<Record<string, Guard>>>> = {
  job: JOB_GUARDS,
  node: NODE_GUARDS,
  cluster: CLUSTER_GUARDS,
};

/** The category of a stream the projection folds, or null for the ones it ignores (user-, …). */
export function foldCategoryOf(stream: string): FoldCategory | null {
  if (stream.startsWith('job-')) return FoldCategory.Job;
  if (stream.startsWith('node-')) return FoldCategory.Node;
  if (stream.startsWith('cluster-')) return FoldCategory.Cluster;
  return null;
}

/** Why an event of a folded category cannot be folded, or null when it can. */
export function checkEvent(category: FoldCategory, type: string, data: unknown): string | null {
  const guard = GUARDS_BY_CATEGORY[category][type];
  if (!guard) return `unknown ${category} event type ${JSON.stringify(type)}`;
  if (!object(data)) return `data: ${describe(data)}`;
  const problem = guard(data as Record<string, unknown>);
  return problem === null ? null : `${type}.${problem}`;
}
