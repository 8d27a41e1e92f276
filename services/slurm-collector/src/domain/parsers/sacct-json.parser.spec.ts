import type { JobRecord } from '@clocktower/contracts';
import { describe, expect, it } from '@jest/globals';
import { fixture } from '../../../test/fixtures/fixture.js';
import { parseSacctJson } from './sacct-json.parser.js';

const parse = (path: string): JobRecord[] => parseSacctJson(fixture(path, 'sacct'), 'lab');
const byId = (jobs: JobRecord[], id: string): JobRecord => {
  const job = jobs.find((j) => j.jobId === id);
  if (job === undefined) throw new Error(`no job ${id} in ${jobs.map((j) => j.jobId).join(' ')}`);
  return job;
};

describe('sacct --json, Slurm 22.05 (openapi/dbv0.0.38), recorded on the lab', () => {
  const t3 = parse('slurm-22.05/t3-ended/sacct.json');

  it('records no exit code for `exit 3`: 22.05 prints it as SUCCESS/0 beside state FAILED', () => {
    expect(byId(t3, '39')).toMatchObject({
      state: 'FAILED',
      exitCode: null,
      signal: null,
      endTime: '2026-11-21T16:56:03.000Z',
    });
  });

  it('keeps the signal, which 22.05 does print', () => {
    expect(byId(t3, '40')).toMatchObject({ state: 'FAILED', exitCode: null, signal: 9 });
  });

  it('records exit 0 for completed jobs and nothing for a cancelled one', () => {
    expect(byId(t3, '53')).toMatchObject({
      state: 'COMPLETED',
      exitCode: 0,
      arrayJobId: '44',
      arrayTaskId: '1',
    });
    expect(byId(t3, '43')).toMatchObject({
      state: 'CANCELLED',
      exitCode: null,
      signal: null,
      nodes: 'node01',
    });
  });

  it('reads a job in full, with an empty user where 22.05 prints user null (no association)', () => {
    expect(byId(t3, '38')).toEqual({
      cluster: 'lab',
      jobId: '38',
      arrayJobId: null,
      arrayTaskId: null,
      name: 'fx-ok',
      user: '',
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
      // A job's comment reaches sacct only once the job has ended.
      comment: null,
      restartCount: null,
    });
  });

  it('decodes the hex task bitmap of a pending array (0x7E → 1-6), a spec sacct does not update as tasks start', () => {
    expect(byId(t3, '50_[1-6]')).toMatchObject({
      arrayJobId: '50',
      arrayTaskId: '1-6',
      state: 'PENDING',
      startTime: null,
    });
  });

  it('leaves out a job cancelled while pending with a future begin time (its eligible time is outside the window)', () => {
    expect(t3.find((j) => j.jobId === '42')).toBeUndefined();
  });

  it('keeps one record per job: the requeued job printed twice (REQUEUED, then its new life) is its latest life', () => {
    const t5 = parse('slurm-22.05/t5-timeout/sacct.json');
    expect(t5.filter((j) => j.jobId === '52')).toHaveLength(1);
    expect(byId(t5, '52')).toMatchObject({
      state: 'PENDING',
      submitTime: '2026-11-21T16:56:45.000Z',
      nodes: null,
      startTime: null,
    });
    expect(byId(parse('slurm-22.05/t4-requeued/sacct.json'), '52')).toMatchObject({
      state: 'REQUEUED',
      endTime: null,
      nodes: 'node01',
    });
  });

  it('reads a job that hit its time limit without inventing an exit code', () => {
    expect(byId(parse('slurm-22.05/t5-timeout/sacct.json'), '41')).toMatchObject({
      state: 'TIMEOUT',
      exitCode: null,
      signal: null,
      timeLimitMinutes: 1,
      endTime: '2026-11-21T16:57:15.000Z',
    });
  });
});

describe('sacct --json of other versions', () => {
  it('21.08 (dbv0.0.37): array tasks, GPU TRES, NODE_FAIL and REQUEUED', () => {
    const jobs = parse('slurm-21.08/sacct.json');
    expect(byId(jobs, '63768795')).toMatchObject({
      arrayJobId: '63752790',
      arrayTaskId: '7',
      user: 'nobody',
      account: 'rrg-cerise-ad_gpu',
      state: 'NODE_FAIL',
      stateReason: 'Prolog',
      exitCode: null,
      timeLimitMinutes: 1440,
      requested: { cpus: 4, memoryMB: 40960, gpus: 1, nodes: 1 },
      startTime: '2023-03-30T16:25:04.000Z',
      endTime: '2023-03-31T06:28:23.000Z',
    });
    expect(byId(jobs, '63694682')).toMatchObject({
      state: 'REQUEUED',
      arrayTaskId: '0',
      endTime: null,
    });
  });

  it('23.02 (dbv0.0.39, constructed): exit codes, OOM signal, a cancelled pending array', () => {
    const jobs = parse('slurm-23.02/sacct.json');
    expect(byId(jobs, '7001')).toMatchObject({
      state: 'COMPLETED',
      exitCode: 0,
      nodes: 'gpu[01-02]',
      requested: { cpus: 4, memoryMB: 16384, gpus: 2, nodes: 2 },
      allocated: { cpus: 8, memoryMB: 16384, gpus: 2, nodes: 2 },
      comment: 'nightly training run',
      timeLimitMinutes: 120,
    });
    expect(byId(jobs, '7002')).toMatchObject({
      state: 'FAILED',
      exitCode: 2,
      timeLimitMinutes: null,
    });
    expect(byId(jobs, '7003')).toMatchObject({ state: 'OUT_OF_MEMORY', exitCode: null, signal: 9 });
    expect(byId(jobs, '7010_[3-8]')).toMatchObject({
      state: 'CANCELLED',
      nodes: null,
      startTime: null,
      arrayTaskId: '3-8',
    });
  });

  it('23.11 (v0.0.40): state lists, a GPU job on a cluster that does not account gres/gpu', () => {
    expect(byId(parse('slurm-23.11/sacct.json'), '498')).toMatchObject({
      state: 'RUNNING',
      user: 'cpotter',
      endTime: null,
      timeLimitMinutes: 1,
      requested: { cpus: 1, memoryMB: 512, gpus: null, nodes: 1 },
    });
  });

  it('24.05 (v0.0.41): GPU TRES with a typed count, expanded stdout', () => {
    expect(byId(parse('slurm-24.05/sacct.json'), '13363')).toMatchObject({
      state: 'RUNNING',
      requested: { cpus: 1, memoryMB: 512, gpus: 4, nodes: 1 },
      allocated: { cpus: 1, memoryMB: 512, gpus: 4, nodes: 1 },
      stdout: '/home/jhayes/slurm-13363.out',
    });
  });

  it('24.11 (v0.0.42): the non-zero exit code is kept', () => {
    expect(byId(parse('slurm-24.11/sacct.json'), '9746')).toMatchObject({
      state: 'FAILED',
      exitCode: 1,
      restartCount: 0,
      user: 'mwilliams',
    });
  });

  it('25.05 (v0.0.43): a TIMEOUT whose job exit code says SUCCESS/0 has no exit code', () => {
    expect(byId(parse('slurm-25.05/sacct.json'), '15007')).toMatchObject({
      state: 'TIMEOUT',
      exitCode: null,
      signal: null,
      user: 'jli',
    });
  });
});
