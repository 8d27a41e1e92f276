import type { JobRecord } from './job-record.js';

/** The JobRecord fields that JobResourcesChanged may carry (dotted for nested resources). */
export const GENERIC_JOB_FIELDS = [
  'arrayJobId',
  'arrayTaskId',
  'name',
  'user',
  'account',
  'partition',
  'qos',
  'submitTime',
  'eligibleTime',
  'timeLimitMinutes',
  'nodes',
  'requested.cpus',
  'requested.memoryMB',
  'requested.gpus',
  'requested.nodes',
  'allocated.cpus',
  'allocated.memoryMB',
  'allocated.gpus',
  'allocated.nodes',
  'workDir',
  'stdout',
  'stderr',
  'comment',
] as const;
export type GenericJobField = (typeof GENERIC_JOB_FIELDS)[number];

/** Each field's path, split once: the diff reads 23 fields of two records per job per poll. */
const FIELD_PATHS = new Map<string, readonly [string, string | undefined]>(
  GENERIC_JOB_FIELDS.map((field) => {
    const [head, tail] = field.split('.') as [string, string | undefined];
    return [field, [head, tail]];
  }),
);

export function readField(record: JobRecord, field: GenericJobField): unknown {
  const [head, tail] = FIELD_PATHS.get(field)!;
  const value = (record as unknown as Record<string, unknown>)[head];
  return tail === undefined ? value : (value as Record<string, unknown>)[tail];
}

function writeField(record: JobRecord, field: string, value: unknown): JobRecord {
  const dot = field.indexOf('.');
  if (dot === -1) return { ...record, [field]: value };
  const groupName = field.slice(0, dot) as 'requested' | 'allocated';
  return { ...record, [groupName]: { ...record[groupName], [field.slice(dot + 1)]: value } };
}

/**
 * Folds one job event into the job's record. Pure; the collector (to resume after a restart) and the
 * projection (its read model) fold the same way, so what the collector decides is what users see.
 */
export function evolveJob(
  record: JobRecord | undefined,
  event: { type: string; data: Record<string, unknown> },
): JobRecord | undefined {
  const d = event.data;
  if (event.type === 'JobSubmitted') return d['record'] as JobRecord;
  if (!record) return undefined;
  switch (event.type) {
    case 'JobStateChanged':
      return {
        ...record,
        state: d['to'] as string,
        stateReason: (d['reason'] as string | null) ?? null,
      };
    case 'JobPendingReasonChanged':
      return { ...record, stateReason: (d['to'] as string | null) ?? null };
    case 'JobStarted':
      return {
        ...record,
        nodes: (d['nodes'] as string | null) ?? record.nodes,
        allocated: d['allocated'] as JobRecord['allocated'],
        startTime: (d['slurmTime'] as string | null) ?? record.startTime,
      };
    case 'JobRequeued':
      return {
        ...record,
        restartCount: (d['restartCount'] as number | null) ?? record.restartCount,
        startTime: null,
        endTime: null,
        exitCode: null,
        signal: null,
      };
    case 'JobResourcesChanged': {
      let next = record;
      for (const [field, change] of Object.entries(
        d['changes'] as Record<string, { to: unknown }>,
      )) {
        next = writeField(next, field, change.to);
      }
      return next;
    }
    case 'JobEnded':
      return {
        ...record,
        state: d['state'] as string,
        exitCode: (d['exitCode'] as number | null) ?? null,
        signal: (d['signal'] as number | null) ?? null,
        stateReason: (d['reason'] as string | null) ?? record.stateReason,
        endTime: (d['slurmTime'] as string | null) ?? record.endTime,
      };
    default:
      return record;
  }
}
