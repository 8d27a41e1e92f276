import type { JobRecord, NodeRecord } from '@clocktower/contracts';
import { describe, expect, it } from '@jest/globals';
import { fixture } from '../../../test/fixtures/fixture.js';
import { parseSacctText } from './sacct-text.parser.js';
import { parseScontrolJobs, parseScontrolNodes, scontrolPairs } from './scontrol-text.parser.js';
import { parseSinfoText } from './sinfo-text.parser.js';
import { parseSqueueText } from './squeue-text.parser.js';

const byId = (jobs: JobRecord[], id: string): JobRecord => {
  const job = jobs.find((j) => j.jobId === id);
  if (job === undefined) throw new Error(`no job ${id} in ${jobs.map((j) => j.jobId).join(' ')}`);
  return job;
};
const byName = (nodes: NodeRecord[], name: string): NodeRecord => {
  const node = nodes.find((n) => n.name === name);
  if (node === undefined) throw new Error(`no node ${name}`);
  return node;
};

describe('squeue -o text (the SQUEUE_TEXT_FIELDS list), Slurm 22.05', () => {
  const squeue = (moment: string): JobRecord[] =>
    parseSqueueText(fixture(`slurm-22.05/${moment}/squeue.txt`, 'squeue'), 'lab');
  const t3 = squeue('t3-ended');

  it('reads a running job; what -o cannot say is null', () => {
    expect(byId(t3, '38')).toEqual({
      cluster: 'lab',
      jobId: '38',
      arrayJobId: null,
      arrayTaskId: null,
      name: 'fx-ok',
      user: 'ctlab',
      account: null,
      partition: 'debug',
      qos: 'normal',
      state: 'RUNNING',
      stateReason: null,
      exitCode: null,
      signal: null,
      submitTime: '2026-11-21T16:55:53.000Z',
      eligibleTime: null,
      startTime: '2026-11-21T16:55:54.000Z',
      endTime: null,
      timeLimitMinutes: 60,
      nodes: 'node01',
      requested: { cpus: 2, memoryMB: null, gpus: null, nodes: 1 },
      allocated: { cpus: 2, memoryMB: null, gpus: null, nodes: 1 },
      workDir: '/tmp/ctfix',
      stdout: null,
      stderr: null,
      comment: 'fixture comment with spaces',
      restartCount: null,
    });
  });

  it('names array tasks by their own id (%A) and a pending array by its spec', () => {
    expect(byId(t3, '53')).toMatchObject({
      arrayJobId: '44',
      arrayTaskId: '1',
      state: 'COMPLETED',
    });
    expect(byId(t3, '44')).toMatchObject({ arrayJobId: '44', arrayTaskId: '4' });
    expect(byId(t3, '50_[3-6]')).toMatchObject({
      arrayJobId: '50',
      arrayTaskId: '3-6',
      stateReason: 'JobArrayTaskLimit',
    });
    expect(byId(t3, '10_[1-10]')).toMatchObject({
      state: 'CANCELLED',
      stateReason: 'JobHeldUser',
      nodes: null,
      startTime: null,
    });
  });

  it('keeps free-text reasons, and squeue prints the description where JSON prints the code', () => {
    expect(byId(t3, '48').stateReason).toBe(
      'Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions',
    );
  });

  it('reads a cancelled-while-pending job without start, and a TIMEOUT with its 1-minute limit', () => {
    expect(byId(t3, '42')).toMatchObject({
      state: 'CANCELLED',
      nodes: null,
      startTime: null,
      endTime: '2026-11-21T16:56:06.000Z',
    });
    expect(byId(squeue('t5-timeout'), '41')).toMatchObject({
      state: 'TIMEOUT',
      timeLimitMinutes: 1,
      endTime: '2026-11-21T16:57:15.000Z',
    });
  });

  it('applies the cluster time zone to text times', () => {
    const cet = parseSqueueText(fixture('slurm-22.05/t3-ended/squeue.txt', 'squeue'), 'lab', {
      timeZoneOffsetMinutes: 60,
    });
    expect(byId(cet, '38').startTime).toBe('2026-11-21T15:55:54.000Z');
  });
});

describe('sacct -P text (the SACCT_TEXT_FIELDS list), Slurm 22.05', () => {
  const sacct = (moment: string): JobRecord[] =>
    parseSacctText(fixture(`slurm-22.05/${moment}/sacct.txt`, 'sacct'), 'lab');
  const t3 = sacct('t3-ended');

  it('has the exit code the JSON loses: 3:0 is exit 3, 0:9 is signal 9', () => {
    expect(byId(t3, '39')).toMatchObject({ state: 'FAILED', exitCode: 3, signal: null });
    expect(byId(t3, '40')).toMatchObject({ state: 'FAILED', exitCode: null, signal: 9 });
  });

  it('reads `CANCELLED by 1001` as CANCELLED, with no exit code for its 0:0', () => {
    expect(byId(t3, '43')).toMatchObject({
      state: 'CANCELLED',
      exitCode: null,
      signal: null,
      timeLimitMinutes: 10,
    });
  });

  it('reads a job in full from its TRES', () => {
    expect(byId(t3, '38')).toEqual({
      cluster: 'lab',
      jobId: '38',
      arrayJobId: null,
      arrayTaskId: null,
      name: 'fx-ok',
      user: 'ctlab',
      account: null,
      partition: 'debug',
      qos: 'normal',
      state: 'RUNNING',
      stateReason: null,
      exitCode: null,
      signal: null,
      submitTime: '2026-11-21T16:55:53.000Z',
      eligibleTime: '2026-11-21T16:55:53.000Z',
      startTime: '2026-11-21T16:55:54.000Z',
      endTime: null,
      timeLimitMinutes: 60,
      nodes: 'node01',
      requested: { cpus: 2, memoryMB: 300, gpus: null, nodes: 1 },
      allocated: { cpus: 2, memoryMB: 300, gpus: null, nodes: 1 },
      workDir: '/tmp/ctfix',
      stdout: null,
      stderr: null,
      comment: null,
      restartCount: null,
    });
  });

  it('reads array tasks (`44_1` is job 53) and the pending meta-record `50_[1-6]`', () => {
    expect(byId(t3, '53')).toMatchObject({ arrayJobId: '44', arrayTaskId: '1', exitCode: 0 });
    expect(byId(t3, '50_[1-6]')).toMatchObject({
      arrayJobId: '50',
      arrayTaskId: '1-6',
      state: 'PENDING',
      timeLimitMinutes: null,
    });
  });

  it('gives a pending job no allocation (sacct prints its request as AllocCPUS)', () => {
    expect(byId(t3, '48').allocated).toEqual({
      cpus: null,
      memoryMB: null,
      gpus: null,
      nodes: null,
    });
    expect(byId(t3, '48').requested).toEqual({ cpus: 2, memoryMB: 200, gpus: null, nodes: 2 });
  });

  it('reads a requeued job as REQUEUED and then PENDING with its new submit time', () => {
    expect(byId(sacct('t4-requeued'), '52')).toMatchObject({ state: 'REQUEUED', nodes: 'node01' });
    expect(byId(sacct('t5-timeout'), '52')).toMatchObject({
      state: 'PENDING',
      submitTime: '2026-11-21T16:56:45.000Z',
      startTime: null,
    });
  });

  it('skips job steps if any appear', () => {
    const body = [
      '7|7|wrap|ctlab||debug|normal|COMPLETED|None|0:0|0:0|2026-11-21T16:41:43|2026-11-21T16:41:43|2026-11-21T16:41:44|2026-11-21T16:41:50|60|node01|1|100M|1|billing=1,cpu=1,mem=100M,node=1|1|1|billing=1,cpu=1,mem=100M,node=1|/tmp|',
      '7.batch|7.batch|batch||||||COMPLETED|None|0:0||2026-11-21T16:41:44|2026-11-21T16:41:44|2026-11-21T16:41:44|2026-11-21T16:41:50||node01|1||1||1|1|cpu=1,mem=100M,node=1|||',
    ].join('\n');
    const jobs = parseSacctText({ kind: 'sacct', format: 'text', body, observedAt: '' }, 'lab');
    expect(jobs.map((j) => j.jobId)).toEqual(['7']);
  });
});

describe('sinfo --Node -O text (the SINFO_TEXT_FIELDS list), Slurm 22.05', () => {
  const sinfo = (path: string): NodeRecord[] =>
    parseSinfoText(fixture(`slurm-22.05/${path}`, 'sinfo'), 'lab');

  it('merges the line per partition into one node with every partition', () => {
    const nodes = sinfo('t3-ended/sinfo.txt');
    expect(nodes.map((n) => n.name)).toEqual(['node01', 'node02', 'node03', 'node04']);
    expect(byName(nodes, 'node02')).toEqual({
      cluster: 'lab',
      name: 'node02',
      state: 'IDLE',
      flags: ['DRAIN'],
      reason: 'fixture drain',
      reasonSetBy: 'root',
      reasonSince: '2026-11-21T16:55:58.000Z',
      cpus: 8,
      cpusAllocated: 0,
      memoryMB: 4000,
      memoryAllocatedMB: 0,
      gpus: 0,
      gpusAllocated: 0,
      gpuType: null,
      partitions: ['debug', 'long'],
      features: ['cpu', 'lab'],
    });
  });

  it('reads StateComplete: not responding, unregistered and drained', () => {
    const nodes = sinfo('t1-running/sinfo.txt');
    expect(byName(nodes, 'node03')).toMatchObject({
      state: 'DOWN',
      flags: ['NOT_RESPONDING'],
      reason: 'lab: no slurmd',
      reasonSince: '2026-11-21T16:26:04.000Z',
    });
    expect(byName(nodes, 'node04')).toMatchObject({
      state: 'UNKNOWN',
      flags: ['DRAIN', 'NOT_RESPONDING'],
    });
    expect(byName(nodes, 'node01')).toMatchObject({
      state: 'ALLOCATED',
      cpusAllocated: 8,
      memoryAllocatedMB: 900,
      reason: null,
      reasonSetBy: null,
    });
  });

  it('still reads StateLong (`draining`, `drained*`), which hides the base state', () => {
    const draining = sinfo('statelong/sinfo-draining.txt');
    expect(byName(draining, 'node02')).toMatchObject({
      state: 'MIXED',
      flags: ['DRAIN'],
      reason: 'fixture drain',
      cpusAllocated: 4,
    });
    expect(byName(draining, 'node04')).toMatchObject({
      state: 'IDLE',
      flags: ['DRAIN', 'NOT_RESPONDING'],
    });
    expect(byName(sinfo('statelong/sinfo-drained.txt'), 'node02')).toMatchObject({
      state: 'IDLE',
      flags: ['DRAIN'],
    });
  });
});

describe('scontrol show job|node -o, Slurm 22.05', () => {
  const jobs = (moment: string): JobRecord[] =>
    parseScontrolJobs(fixture(`slurm-22.05/${moment}/scontrol-jobs.txt`, 'scontrol-jobs'), 'lab');
  const t3 = jobs('t3-ended');

  it('splits Key=Value pairs where values hold spaces and = signs', () => {
    const pairs = scontrolPairs(
      'JobId=49 JobName=fx name with spaces UserId=ctlab(1001) Comment=see x=y here  TRES=cpu=1,mem=100M StdOut=/tmp/a b.out',
    );
    expect(pairs.get('JobName')).toBe('fx name with spaces');
    expect(pairs.get('Comment')).toBe('see x=y here');
    expect(pairs.get('TRES')).toBe('cpu=1,mem=100M');
    expect(pairs.get('StdOut')).toBe('/tmp/a b.out');
  });

  it('reads exit codes as code:signal: exit 3, SIGKILL, and SIGTERM of a cancelled running job', () => {
    expect(byId(t3, '39')).toMatchObject({
      state: 'FAILED',
      exitCode: 3,
      signal: null,
      stdout: '/tmp/ctfix/fx-exit3-39.out',
    });
    expect(byId(t3, '40')).toMatchObject({ state: 'FAILED', exitCode: null, signal: 9 });
    expect(byId(t3, '43')).toMatchObject({ state: 'CANCELLED', exitCode: null, signal: 15 });
  });

  it('reads a job whose name and output path hold spaces', () => {
    expect(byId(jobs('t1-running'), '49')).toMatchObject({
      name: 'fx name with spaces',
      stdout: '/tmp/ctfix/fx name with spaces-49.out',
      user: 'ctlab',
      state: 'PENDING',
      stateReason: 'Priority',
    });
  });

  it('reads the comment, requested TRES and restarts', () => {
    expect(byId(t3, '38')).toMatchObject({
      comment: 'fixture comment with spaces',
      requested: { cpus: 2, memoryMB: 300, gpus: null, nodes: 1 },
      allocated: { cpus: 2, memoryMB: 300, gpus: null, nodes: 1 },
      restartCount: 0,
    });
    expect(byId(jobs('t4-requeued'), '52')).toMatchObject({
      state: 'PENDING',
      restartCount: 1,
      submitTime: '2026-11-21T16:56:45.000Z',
    });
  });

  it('reads pending arrays, with scontrol printing the reason with underscores', () => {
    expect(byId(t3, '50_[3-6]')).toMatchObject({
      arrayJobId: '50',
      arrayTaskId: '3-6',
      stdout: '/tmp/ctfix/fx-throttled-50_4294967294.out',
    });
    expect(byId(t3, '48').stateReason).toBe(
      'Nodes_required_for_job_are_DOWN,_DRAINED_or_reserved_for_jobs_in_higher_priority_partitions',
    );
  });

  it('reads nodes, the reason split from [user@time]', () => {
    const nodes = parseScontrolNodes(
      fixture('slurm-22.05/t2-draining/scontrol-nodes.txt', 'scontrol-nodes'),
      'lab',
    );
    expect(byName(nodes, 'node02')).toEqual({
      cluster: 'lab',
      name: 'node02',
      state: 'MIXED',
      flags: ['DRAIN'],
      reason: 'fixture drain',
      reasonSetBy: 'root',
      reasonSince: '2026-11-21T16:55:58.000Z',
      cpus: 8,
      cpusAllocated: 2,
      memoryMB: 4000,
      memoryAllocatedMB: 200,
      gpus: 0,
      gpusAllocated: 0,
      gpuType: null,
      partitions: ['debug', 'long'],
      features: ['cpu', 'lab'],
    });
    expect(byName(nodes, 'node04')).toMatchObject({
      state: 'UNKNOWN',
      flags: ['DRAIN', 'NOT_RESPONDING'],
      reason: 'lab: drained for tests',
    });
  });

  it('reads an empty system as no records', () => {
    expect(
      parseScontrolJobs(
        { kind: 'scontrol-jobs', format: 'text', body: 'No jobs in the system\n', observedAt: '' },
        'lab',
      ),
    ).toEqual([]);
  });
});
