import type { JobRecord } from '@clocktower/contracts';
import { describe, expect, it } from '@jest/globals';
import { fixture } from '../../../test/fixtures/fixture.js';
import { parseSqueueJson } from './squeue-json.parser.js';

const parse = (path: string): JobRecord[] => parseSqueueJson(fixture(path, 'squeue'), 'lab');
const byId = (jobs: JobRecord[], id: string): JobRecord => {
  const job = jobs.find((j) => j.jobId === id);
  if (job === undefined) throw new Error(`no job ${id} in ${jobs.map((j) => j.jobId).join(' ')}`);
  return job;
};

describe('squeue --json, Slurm 22.05 (openapi/v0.0.38), recorded on the lab', () => {
  const t1 = parse('slurm-22.05/t1-running/squeue.json');
  const t3 = parse('slurm-22.05/t3-ended/squeue.json');

  it('reads a running job with its allocation, comment and expanded output path', () => {
    expect(byId(t1, '38')).toEqual({
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
      stdout: '/tmp/ctfix/fx-ok-38.out',
      stderr: '/tmp/ctfix/fx-ok-38.out',
      comment: 'fixture comment with spaces',
      restartCount: 0,
    });
  });

  it('decodes the raw wait status: exit 3 is 768, a kill -9 is signal 9, scancel of a running job is signal 15', () => {
    expect(byId(t3, '39')).toMatchObject({
      state: 'FAILED',
      stateReason: 'NonZeroExitCode',
      exitCode: 3,
      signal: null,
    });
    expect(byId(t3, '39').endTime).toBe('2026-11-21T16:56:03.000Z');
    expect(byId(t3, '40')).toMatchObject({
      state: 'FAILED',
      stateReason: 'JobLaunchFailure',
      exitCode: null,
      signal: 9,
    });
    expect(byId(t3, '43')).toMatchObject({
      state: 'CANCELLED',
      exitCode: null,
      signal: 15,
      nodes: 'node01',
    });
  });

  it('gives a job cancelled while pending no nodes and no start time (Slurm writes the cancel time as its start)', () => {
    expect(byId(t3, '42')).toMatchObject({
      state: 'CANCELLED',
      stateReason: 'BeginTime',
      nodes: null,
      startTime: null,
      endTime: '2026-11-21T16:56:06.000Z',
      eligibleTime: '2026-11-21T17:55:53.000Z',
      allocated: { cpus: null, memoryMB: null, gpus: null, nodes: null },
    });
  });

  it('keeps estimates out of pending and running jobs: no expected start, no end from the time limit', () => {
    expect(byId(t1, '48')).toMatchObject({
      state: 'PENDING',
      stateReason: 'Resources',
      startTime: null,
      endTime: null,
      nodes: null,
    });
    expect(byId(t1, '48').requested).toEqual({ cpus: 2, memoryMB: 200, gpus: null, nodes: 2 });
    expect(byId(t1, '41')).toMatchObject({ state: 'RUNNING', timeLimitMinutes: 1, endTime: null });
  });

  it('reads held and dependency-blocked jobs with their reasons', () => {
    expect(byId(t1, '46')).toMatchObject({
      state: 'PENDING',
      stateReason: 'JobHeldUser',
      eligibleTime: null,
    });
    expect(byId(t3, '47')).toMatchObject({
      state: 'PENDING',
      stateReason: 'DependencyNeverSatisfied',
    });
  });

  it('makes one record of a pending array and keeps each started task under its own id', () => {
    expect(byId(t1, '45_[1-10]')).toMatchObject({
      arrayJobId: '45',
      arrayTaskId: '1-10',
      state: 'PENDING',
      stateReason: 'JobHeldUser',
    });
    // The throttle (`%2`) Slurm prints in array_task_string is not part of the spec.
    expect(byId(t3, '50_[3-6]')).toMatchObject({
      arrayJobId: '50',
      arrayTaskId: '3-6',
      stateReason: 'JobArrayTaskLimit',
    });
    expect(byId(t3, '56')).toMatchObject({
      arrayJobId: '50',
      arrayTaskId: '1',
      state: 'RUNNING',
      stdout: '/tmp/ctfix/fx-throttled-50_1.out',
    });
    // The last task to start takes the array's own id.
    expect(byId(t3, '44')).toMatchObject({
      arrayJobId: '44',
      arrayTaskId: '4',
      state: 'COMPLETED',
      exitCode: 0,
    });
    expect(
      t3
        .filter((j) => j.arrayJobId === '44')
        .map((j) => j.jobId)
        .sort(),
    ).toEqual(['44', '53', '54', '55']);
  });

  it('reads a two-node job and the default output file of a job given no -o', () => {
    expect(byId(parse('slurm-22.05/t7-two-nodes/squeue.json'), '48')).toMatchObject({
      state: 'RUNNING',
      nodes: 'node[01-02]',
      allocated: { cpus: 2, memoryMB: 200, gpus: null, nodes: 2 },
      stderr: '/tmp/ctfix/two-48.err',
    });
    expect(byId(parse('slurm-22.05/t4-requeued/squeue.json'), '51')).toMatchObject({
      stdout: '/tmp/ctfix/slurm-51.out',
      stderr: '/tmp/ctfix/slurm-51.out',
    });
  });

  it('reads a requeued job: pending again, restart count up, submit time reset', () => {
    expect(byId(parse('slurm-22.05/t4-requeued/squeue.json'), '52')).toMatchObject({
      state: 'PENDING',
      stateReason: 'BeginTime',
      restartCount: 1,
      submitTime: '2026-11-21T16:56:45.000Z',
      startTime: null,
      nodes: null,
    });
  });

  it('reads a job that hit its time limit: TIMEOUT, killed by SIGTERM', () => {
    expect(byId(parse('slurm-22.05/t5-timeout/squeue.json'), '41')).toMatchObject({
      state: 'TIMEOUT',
      stateReason: 'TimeLimit',
      exitCode: null,
      signal: 15,
      endTime: '2026-11-21T16:57:15.000Z',
    });
  });
});

describe('squeue --json of other versions', () => {
  it('21.08 (v0.0.37): plain numbers, unlimited time limit as null, a throttled pending array', () => {
    const jobs = parse('slurm-21.08/squeue.json');
    expect(byId(jobs, '9001')).toMatchObject({
      state: 'RUNNING',
      nodes: 'gpu[01-02]',
      requested: { cpus: 16, memoryMB: 16000, gpus: 4, nodes: 2 },
      stdout: '/home/carol/logs/md-run-9001.out',
      comment: 'production run',
    });
    expect(byId(jobs, '9002')).toMatchObject({
      state: 'FAILED',
      exitCode: 2,
      timeLimitMinutes: null,
    });
    expect(byId(jobs, '9010_[4-99]')).toMatchObject({
      arrayJobId: '9010',
      arrayTaskId: '4-99',
      stateReason: 'JobArrayTaskLimit',
    });
    expect(byId(jobs, '9013')).toMatchObject({
      arrayJobId: '9010',
      arrayTaskId: '3',
      stdout: '/home/carol/logs/scan-9010_3.out',
    });
    expect(byId(jobs, '9020')).toMatchObject({
      state: 'CANCELLED',
      signal: 9,
      exitCode: null,
      restartCount: 1,
    });
  });

  it('23.02 (v0.0.39): numbers as {set, infinite, number}, array ids set, a held requeued task', () => {
    const jobs = parse('slurm-23.02/squeue.json');
    expect(jobs.map((j) => j.jobId)).toEqual(['52175550', '52173767', '52410472']);
    expect(byId(jobs, '52175550')).toMatchObject({
      arrayJobId: '52173767',
      arrayTaskId: '1470',
      state: 'PENDING',
      stateReason: 'JobHeldUser',
      restartCount: 1,
      requested: { cpus: 1, memoryMB: 4096, gpus: null, nodes: 1 },
      timeLimitMinutes: 120,
    });
    // tres_alloc_str of this version leaves out node=; the node count fills it.
    expect(byId(jobs, '52173767')).toMatchObject({
      arrayTaskId: '2000',
      state: 'COMPLETED',
      exitCode: 0,
      nodes: 'cs66',
      allocated: { cpus: 1, memoryMB: 4096, gpus: null, nodes: 1 },
      startTime: '2023-09-14T07:07:18.000Z',
      endTime: '2023-09-14T07:11:31.000Z',
    });
  });

  it('23.11 (v0.0.40): job_state lists, verbose exit codes, GPUs requested per job', () => {
    const jobs = parse('slurm-23.11/squeue.json');
    expect(byId(jobs, '509')).toMatchObject({
      state: 'COMPLETED',
      exitCode: 0,
      user: 'tmcgrath',
      account: 'admin',
    });
    expect(byId(jobs, '510')).toMatchObject({
      state: 'FAILED',
      stateReason: 'NonZeroExitCode',
      exitCode: 1,
      signal: null,
    });
    expect(byId(jobs, '511')).toMatchObject({
      state: 'RUNNING',
      endTime: null,
      startTime: '2025-05-07T12:32:22.000Z',
    });
    expect(byId(jobs, '499')).toMatchObject({
      state: 'PENDING',
      stateReason: 'BeginTime',
      startTime: null,
      requested: { cpus: 1, memoryMB: 512, gpus: 6, nodes: 1 },
    });
  });

  it('24.05 (v0.0.41): a TIMEOUT reported as SIGNALED with signal 15', () => {
    expect(byId(parse('slurm-24.05/squeue.json'), '649717')).toMatchObject({
      state: 'TIMEOUT',
      stateReason: 'TimeLimit',
      exitCode: null,
      signal: 15,
      nodes: 'cn001',
      endTime: '2025-05-20T15:22:29.000Z',
    });
  });

  it('24.11 (v0.0.42): a non-zero exit code is reported right', () => {
    expect(byId(parse('slurm-24.11/squeue.json'), '6359')).toMatchObject({
      state: 'FAILED',
      exitCode: 1,
      user: 'jbeck',
      stdout: '/home/jbeck/slurm-6359.out',
    });
  });

  it('25.05 (v0.0.43): empty output patterns fall back to the default file, GPUs from tres_per_job', () => {
    expect(byId(parse('slurm-25.05/squeue.json'), '4745')).toMatchObject({
      state: 'PENDING',
      partition: 'gpu',
      stdout: '/home/sevans/slurm-4745.out',
      requested: { cpus: 1, memoryMB: 512, gpus: 4, nodes: 1 },
    });
  });
});
