import { describe, expect, it } from '@jest/globals';
import type { JobView, NodeView } from '@clocktower/contracts';
import { clockworkJob, clockworkNode, exitCodeOf } from './clockwork-documents.js';

const job: JobView = {
  cluster: 'mila',
  jobId: '4242',
  arrayJobId: null,
  arrayTaskId: null,
  name: 'train',
  user: 'alice',
  account: 'ml',
  partition: 'gpu',
  qos: null,
  state: 'RUNNING',
  stateReason: null,
  exitCode: null,
  signal: null,
  submitTime: '2026-01-10T08:00:00.000Z',
  eligibleTime: '2026-01-10T08:00:00.000Z',
  startTime: '2026-01-10T08:01:00.500Z',
  endTime: null,
  timeLimitMinutes: 1440,
  nodes: 'cn-a[001-002]',
  requested: { cpus: 4, memoryMB: 8192, gpus: 1, nodes: null },
  allocated: { cpus: 4, memoryMB: 8192, gpus: 1, nodes: 2 },
  workDir: '/home/alice',
  stdout: null,
  stderr: null,
  comment: null,
  restartCount: 0,
  stream: 'job-mila-4242-1768032000',
  updatedAt: '2026-01-10T08:01:02.250Z',
  position: '17',
};

const node: NodeView = {
  cluster: 'mila',
  name: 'cn-a001',
  state: 'MIXED',
  flags: ['DRAIN'],
  reason: 'maintenance',
  reasonSetBy: 'root',
  reasonSince: null,
  cpus: 80,
  cpusAllocated: 28,
  memoryMB: 386619,
  memoryAllocatedMB: 196608,
  gpus: 8,
  gpusAllocated: 8,
  gpuType: 'rtx8000',
  partitions: ['main'],
  features: ['x86_64', 'turing'],
  stream: 'node-mila-cn-a001',
  updatedAt: '2026-01-10T08:00:00.000Z',
  position: '3',
  removed: false,
};

describe('clockworkJob', () => {
  it("puts Slurm's facts under slurm in Clockwork's names, times in Unix seconds", () => {
    const doc = clockworkJob(job, 'alice@mila.quebec', { tracker: 'https://wandb.ai/r/1' });
    expect(doc).toEqual({
      slurm: {
        account: 'ml',
        cluster_name: 'mila',
        job_id: '4242',
        array_job_id: '0',
        array_task_id: 'None',
        name: 'train',
        username: 'alice',
        job_state: 'RUNNING',
        exit_code: null,
        time_limit: 1440,
        submit_time: 1768032000,
        start_time: 1768032060,
        end_time: null,
        partition: 'gpu',
        nodes: 'cn-a[001-002]',
        tres_requested: { num_cpus: 4, mem: 8192, num_gpus: 1 },
        tres_allocated: { num_cpus: 4, mem: 8192, num_gpus: 1, num_nodes: 2 },
        working_directory: '/home/alice',
      },
      cw: { mila_email_username: 'alice@mila.quebec', last_slurm_update: 1768032062.25 },
      user: { tracker: 'https://wandb.ai/r/1' },
      job_user_props: { tracker: 'https://wandb.ai/r/1' },
    });
  });

  it('says "None assigned" for nodes not allocated yet, and keeps array ids', () => {
    const doc = clockworkJob(
      { ...job, nodes: null, arrayJobId: '4240', arrayTaskId: '2' },
      null,
      {},
    );
    expect(doc.slurm).toMatchObject({
      nodes: 'None assigned',
      array_job_id: '4240',
      array_task_id: '2',
    });
    expect(doc.cw.mila_email_username).toBeNull();
  });
});

describe('exitCodeOf', () => {
  it("writes Clockwork's STATUS:code", () => {
    expect(exitCodeOf({ exitCode: 0, signal: null })).toBe('SUCCESS:0');
    expect(exitCodeOf({ exitCode: 3, signal: 0 })).toBe('ERROR:3');
    expect(exitCodeOf({ exitCode: null, signal: 15 })).toBe('SIGNALED:15');
    expect(exitCodeOf({ exitCode: null, signal: null })).toBeNull();
  });
});

describe('clockworkNode', () => {
  it('gives Slurm-style gres and TRES strings, and the GPU under cw', () => {
    expect(clockworkNode(node)).toEqual({
      slurm: {
        name: 'cn-a001',
        cluster_name: 'mila',
        state: 'MIXED',
        state_flags: ['DRAIN'],
        reason: 'maintenance',
        features: 'x86_64,turing',
        gres: 'gpu:rtx8000:8',
        memory: 386619,
        cpus: 80,
        partitions: ['main'],
        cfg_tres: 'cpu=80,mem=386619M,gres/gpu=8',
        alloc_tres: 'cpu=28,mem=196608M,gres/gpu=8',
      },
      cw: {
        gpu: { name: 'rtx8000', cw_name: 'rtx8000', number: 8 },
        last_slurm_update: 1768032000,
      },
    });
  });

  it('has no gres, no allocation and an empty gpu for an idle CPU node', () => {
    const idle = clockworkNode({
      ...node,
      gpus: 0,
      gpusAllocated: 0,
      gpuType: null,
      cpusAllocated: 0,
      memoryAllocatedMB: 0,
    });
    expect(idle.slurm).toMatchObject({
      gres: null,
      alloc_tres: null,
      cfg_tres: 'cpu=80,mem=386619M',
    });
    expect(idle.cw.gpu).toEqual({});
  });
});
