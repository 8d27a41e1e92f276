import { describe, expect, it } from '@jest/globals';
import type { JobRecord } from '@clocktower/contracts';
import { decideJob, jobStreamName, type KnownJob } from './job.diff.js';
import { evolveJob } from '@clocktower/contracts';
import type { StreamDecision } from './event-draft.js';

const SUBMIT = '2026-11-21T10:00:00.000Z';
const START = '2026-11-21T10:00:05.000Z';
const END = '2026-11-21T10:03:00.000Z';

function job(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    cluster: 'lab',
    jobId: '42',
    arrayJobId: null,
    arrayTaskId: null,
    name: 'train',
    user: 'ada',
    account: 'ml',
    partition: 'debug',
    qos: 'normal',
    state: 'PENDING',
    stateReason: 'Priority',
    exitCode: null,
    signal: null,
    submitTime: SUBMIT,
    eligibleTime: SUBMIT,
    startTime: null,
    endTime: null,
    timeLimitMinutes: 60,
    nodes: null,
    requested: { cpus: 4, memoryMB: 8000, gpus: 0, nodes: 1 },
    allocated: { cpus: null, memoryMB: null, gpus: null, nodes: null },
    workDir: '/home/ada',
    stdout: '/home/ada/slurm-42.out',
    stderr: null,
    comment: null,
    restartCount: 0,
    ...overrides,
  };
}

const running = (o: Partial<JobRecord> = {}) =>
  job({
    state: 'RUNNING',
    stateReason: 'None',
    startTime: START,
    nodes: 'node01',
    allocated: { cpus: 4, memoryMB: 8000, gpus: 0, nodes: 1 },
    ...o,
  });
const types = (d: StreamDecision | undefined) => d?.events.map((e) => e.cls.type) ?? [];

/** given what is known (the fold of earlier decisions), when a snapshot shows `next`. */
function given(...history: JobRecord[]): {
  when: (next: JobRecord) => StreamDecision | undefined;
  known: KnownJob | undefined;
} {
  let known: KnownJob | undefined;
  for (const record of history) known = fold(known, decideJob(known, record, 'squeue'));
  return { when: (next) => decideJob(known, next, 'squeue'), known };
}

function fold(
  known: KnownJob | undefined,
  decision: StreamDecision | undefined,
): KnownJob | undefined {
  if (!decision) return known;
  let record = decision.stream === known?.stream ? known.record : undefined;
  for (const e of decision.events)
    record = evolveJob(record, { type: e.cls.type, data: e.data as Record<string, unknown> });
  return {
    stream: decision.stream,
    revision: decision.revision + decision.events.length,
    record: record!,
  };
}

describe('job diff', () => {
  it('emits JobSubmitted, starting PENDING with its reason, for a job seen for the first time', () => {
    const decision = given().when(job());
    expect(types(decision)).toEqual(['JobSubmitted']);
    expect(decision?.stream).toBe(jobStreamName('lab', '42', SUBMIT));
    expect(decision?.revision).toBe(-1);
    expect(decision?.events[0]!.data).toMatchObject({
      record: { state: 'PENDING', stateReason: 'Priority' },
      slurmTime: SUBMIT,
    });
  });

  it('emits nothing when nothing changed', () => {
    expect(given(job()).when(job())).toBeUndefined();
    expect(given(job(), running()).when(running())).toBeUndefined();
  });

  it('emits JobPendingReasonChanged when a pending job waits for something else', () => {
    const decision = given(job()).when(job({ stateReason: 'Resources' }));
    expect(types(decision)).toEqual(['JobPendingReasonChanged']);
    expect(decision?.events[0]!.data).toMatchObject({ from: 'Priority', to: 'Resources' });
  });

  it('emits JobStateChanged with the start time when a pending job starts running, then JobStarted from the allocation', () => {
    const decision = given(job()).when(running());
    expect(types(decision)).toEqual(['JobStateChanged', 'JobStarted']);
    expect(decision?.events[0]!.data).toMatchObject({
      from: 'PENDING',
      to: 'RUNNING',
      slurmTime: START,
    });
    expect(decision?.events[1]!.data).toMatchObject({
      nodes: 'node01',
      allocated: { cpus: 4 },
      slurmTime: START,
    });
  });

  it('records that a job which started and ended between two polls went through RUNNING, with its exit code', () => {
    const decision = given(job()).when(
      job({
        state: 'FAILED',
        stateReason: 'NonZeroExitCode',
        startTime: START,
        endTime: END,
        exitCode: 3,
        nodes: 'node02',
        allocated: { cpus: 4, memoryMB: 8000, gpus: 0, nodes: 1 },
      }),
    );
    expect(types(decision)).toEqual([
      'JobStateChanged',
      'JobStateChanged',
      'JobStarted',
      'JobEnded',
    ]);
    expect(decision!.events.slice(0, 2).map((e) => e.data)).toMatchObject([
      { from: 'PENDING', to: 'RUNNING', slurmTime: START },
      { from: 'RUNNING', to: 'FAILED', slurmTime: END },
    ]);
    expect(decision!.events[3]!.data).toMatchObject({
      state: 'FAILED',
      exitCode: 3,
      signal: null,
      slurmTime: END,
    });
  });

  it('emits JobEnded with the signal when a running job is killed', () => {
    const decision = given(job(), running()).when(
      running({
        state: 'FAILED',
        stateReason: 'NonZeroExitCode',
        endTime: END,
        exitCode: null,
        signal: 9,
      }),
    );
    expect(types(decision)).toEqual(['JobStateChanged', 'JobEnded']);
    expect(decision!.events[1]!.data).toMatchObject({ state: 'FAILED', signal: 9, exitCode: null });
  });

  it('goes PENDING to CANCELLED with no start for a job cancelled while pending', () => {
    const decision = given(job()).when(
      job({ state: 'CANCELLED', stateReason: 'None', endTime: END }),
    );
    expect(types(decision)).toEqual(['JobStateChanged', 'JobEnded']);
    expect(decision!.events[0]!.data).toMatchObject({ from: 'PENDING', to: 'CANCELLED' });
  });

  it('states the end again when accounting later knows an exit code the queue did not show', () => {
    const ended = running({ state: 'FAILED', endTime: END, exitCode: null });
    const decision = given(job(), running(), ended).when({ ...ended, exitCode: 3 });
    expect(types(decision)).toEqual(['JobEnded']);
    expect(decision!.events[0]!.data).toMatchObject({ exitCode: 3 });
  });

  it('emits JobRequeued in the same stream when a running job returns to pending, Slurm having moved its submit time', () => {
    const before = given(job(), running());
    const requeued = job({
      submitTime: '2026-11-21T10:01:00.000Z',
      stateReason: 'BeginTime',
      restartCount: 1,
    });
    const decision = before.when(requeued);
    expect(decision?.stream).toBe(before.known!.stream);
    expect(types(decision)).toEqual(['JobRequeued', 'JobStateChanged', 'JobResourcesChanged']);
    expect(decision!.events[1]!.data).toMatchObject({
      from: 'RUNNING',
      to: 'PENDING',
      reason: 'BeginTime',
    });
  });

  it('starts a new stream when Slurm reuses a job id for another job', () => {
    const old = given(job(), running(), running({ state: 'COMPLETED', endTime: END, exitCode: 0 }));
    const reused = job({ name: 'other', user: 'grace', submitTime: '2026-12-01T00:00:00.000Z' });
    const decision = old.when(reused);
    expect(decision?.stream).not.toBe(old.known!.stream);
    expect(decision?.revision).toBe(-1);
    expect(types(decision)).toEqual(['JobSubmitted']);
  });

  it('emits JobResourcesChanged for a changed limit, and ignores fields an output does not show', () => {
    const decision = given(job()).when(job({ timeLimitMinutes: 120, stdout: null }));
    expect(types(decision)).toEqual(['JobResourcesChanged']);
    expect(decision!.events[0]!.data).toMatchObject({
      changes: { timeLimitMinutes: { from: 60, to: 120 } },
    });
  });

  it('converges: folding the events decided for any observation gives that observation again', () => {
    const path = [
      job(),
      job({ stateReason: 'Resources' }),
      running(),
      running({ timeLimitMinutes: 30 }),
      running({ state: 'TIMEOUT', endTime: END, signal: 15 }),
    ];
    let known: KnownJob | undefined;
    for (const record of path) {
      known = fold(known, decideJob(known, record, 'squeue'));
      expect(known!.record).toEqual(record);
      expect(decideJob(known, record, 'squeue')).toBeUndefined();
    }
  });
});
