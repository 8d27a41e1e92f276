import type { OutputFormat } from '../raw-output.js';

/**
 * The exact argv of every Slurm command the collector runs, for both output formats. The text
 * formats use fixed field lists with `|` separators; their parsers read the same lists, so the two
 * never drift apart. An argv is never joined into a shell string here: the local runner passes it
 * to execFile, the ssh runner quotes each element.
 */

/**
 * squeue -o fields, in order (see squeue(1) "-o <output_format>"). `%i` prints an array task as
 * `9_1` and a pending array as `10_[1-10]`; `%A` is the job's own numeric id (a task's is not its
 * array's). The comment is last: free text that may hold the separator.
 */
export const SQUEUE_TEXT_FIELDS = [
  ['%i', 'jobId'],
  ['%A', 'jobIdRaw'],
  ['%F', 'arrayJobId'],
  ['%K', 'arrayTaskId'],
  ['%j', 'name'],
  ['%u', 'user'],
  ['%a', 'account'],
  ['%P', 'partition'],
  ['%q', 'qos'],
  ['%T', 'state'],
  ['%r', 'reason'],
  ['%V', 'submitTime'],
  ['%S', 'startTime'],
  ['%e', 'endTime'],
  ['%l', 'timeLimit'],
  ['%N', 'nodes'],
  ['%C', 'cpus'],
  ['%m', 'minMemory'],
  ['%b', 'tresPerNode'],
  ['%D', 'nodeCount'],
  ['%Z', 'workDir'],
  ['%k', 'comment'],
] as const;

/** sacct -P -o fields, in order (see sacct(1) "--format"). */
export const SACCT_TEXT_FIELDS = [
  'JobID',
  'JobIDRaw',
  'JobName',
  'User',
  'Account',
  'Partition',
  'QOS',
  'State',
  'Reason',
  'ExitCode',
  'DerivedExitCode',
  'Submit',
  'Eligible',
  'Start',
  'End',
  'TimelimitRaw',
  'NodeList',
  'ReqCPUS',
  'ReqMem',
  'ReqNodes',
  'ReqTRES',
  'AllocCPUS',
  'AllocNodes',
  'AllocTRES',
  'WorkDir',
  'Comment',
] as const;

/**
 * sinfo -N -O fields, in order (see sinfo(1) "-O" long format names). `StateComplete` rather than
 * `StateLong`: `drained*` hides the base state that `unknown+drain+not_responding` shows, the same
 * words scontrol and the JSON use. `field:|` means no width (no truncation) and `|` after each.
 */
export const SINFO_TEXT_FIELDS = [
  'NodeList',
  'StateComplete',
  'Reason',
  'UserLong',
  'Timestamp',
  'CPUsState',
  'Memory',
  'AllocMem',
  'Gres',
  'GresUsed',
  'Partition',
  'Features',
] as const;

/**
 * Without `--array`: with it, squeue prints every task of a pending array as its own line with the
 * array's job id (`10_1` … `10_10` all `%A` 10), where `squeue --json` prints one meta-record
 * (`array_task_string: "1-10"`). Both formats then give the same records.
 */
export function squeueArgv(format: OutputFormat): string[] {
  return format === 'json'
    ? ['squeue', '--json']
    : [
        'squeue',
        '--all',
        '--noheader',
        '--states=all',
        `--format=${SQUEUE_TEXT_FIELDS.map(([code]) => code).join('|')}`,
      ];
}

/**
 * `--Node` matters for JSON from 23.02 on (22.05 ignores it): without it a `sinfo` entry is a group
 * of nodes whose CPU and memory counts are sums; with it, one node per partition.
 */
export function sinfoArgv(format: OutputFormat): string[] {
  return format === 'json'
    ? ['sinfo', '--Node', '--json']
    : [
        'sinfo',
        '--Node',
        '--noheader',
        `--Format=${SINFO_TEXT_FIELDS.map((f) => `${f}:|`).join(',')}`,
      ];
}

/** Accounting records of every user's jobs that were active between `since` and `until`. */
export function sacctArgv(format: OutputFormat, since: Date, until: Date): string[] {
  const window = [
    '--allusers',
    '--allocations',
    `--starttime=${slurmTime(since)}`,
    `--endtime=${slurmTime(until)}`,
  ];
  return format === 'json'
    ? ['sacct', '--json', ...window]
    : ['sacct', '--parsable2', '--noheader', `--format=${SACCT_TEXT_FIELDS.join(',')}`, ...window];
}

/** Slurm's time syntax (local time of the cluster, no zone): YYYY-MM-DDTHH:MM:SS in UTC is fine
 * only if the cluster runs in UTC, so the collector passes times it reads from the cluster itself. */
export function slurmTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}
