import { describe, expect, it } from '@jest/globals';
import {
  decodeJsonExitCode,
  decodeTextExitCode,
  decodeWaitStatus,
  exitStatusForState,
} from './slurm-exit-codes.js';
import { SlurmValueError } from './slurm-output.errors.js';
import { jobBaseState, nodeState } from './slurm-states.js';
import {
  parseGres,
  parseTresArray,
  parseTresString,
  requestedGpus,
  resources,
} from './slurm-tres.js';
import {
  durationToMinutes,
  epochToIso,
  expandHostlist,
  expandOutputPath,
  localTimeToIso,
  memoryToMB,
  minutesOrNull,
  normalizeTaskSpec,
  slurmNumber,
} from './slurm-values.js';

describe('Slurm numbers', () => {
  it('reads plain numbers, {set, infinite, number} objects and null alike', () => {
    expect(slurmNumber(60)).toBe(60);
    expect(slurmNumber({ set: true, infinite: false, number: 60 })).toBe(60);
    expect(slurmNumber({ set: false, infinite: false, number: 0 })).toBeNull();
    expect(slurmNumber({ set: false, infinite: true, number: 0 })).toBeNull();
    expect(slurmNumber(null)).toBeNull();
  });

  it('treats NO_VAL and INFINITE sentinels as no value (a node not responding has cpu_load 4294967294)', () => {
    expect(slurmNumber(4294967294)).toBeNull();
    expect(slurmNumber(4294967295)).toBeNull();
    expect(slurmNumber({ set: true, infinite: false, number: 4294967294 })).toBeNull();
  });

  it('turns epoch seconds into ISO 8601 UTC, and 0 or unset into null', () => {
    expect(epochToIso(1795280154)).toBe('2026-11-21T16:55:54.000Z');
    expect(epochToIso({ set: true, infinite: false, number: 1746621138 })).toBe(
      '2025-05-07T12:32:18.000Z',
    );
    expect(epochToIso(0)).toBeNull();
    expect(epochToIso({ set: true, infinite: false, number: 0 })).toBeNull();
    expect(epochToIso(null)).toBeNull();
  });
});

describe('text times and durations', () => {
  it('reads a local cluster time with the configured offset', () => {
    expect(localTimeToIso('2026-11-21T16:55:54', 0)).toBe('2026-11-21T16:55:54.000Z');
    expect(localTimeToIso('2026-11-21T16:55:54', 60)).toBe('2026-11-21T15:55:54.000Z');
    expect(localTimeToIso('2026-11-21T00:30:00', -300)).toBe('2026-11-21T05:30:00.000Z');
  });

  it('reads Unknown, None, N/A and empty as no time', () => {
    for (const t of ['Unknown', 'None', 'N/A', '']) expect(localTimeToIso(t, 0)).toBeNull();
  });

  it('rejects a time it cannot read', () => {
    expect(() => localTimeToIso('21/11/2026 16:55', 0)).toThrow(SlurmValueError);
    expect(() => localTimeToIso('2026-02-30T10:00:00', 0)).toThrow('unparseable time');
  });

  it('reads squeue and scontrol time limits in minutes, unlimited as null', () => {
    expect(durationToMinutes('1:00:00')).toBe(60);
    expect(durationToMinutes('10:00')).toBe(10);
    expect(durationToMinutes('1:00')).toBe(1);
    expect(durationToMinutes('01:00:00')).toBe(60);
    expect(durationToMinutes('1-00:00:00')).toBe(1440);
    expect(durationToMinutes('2-12:30:00')).toBe(3630);
    expect(durationToMinutes('UNLIMITED')).toBeNull();
    expect(durationToMinutes('NOT_SET')).toBeNull();
    expect(minutesOrNull('60')).toBe(60);
    expect(minutesOrNull('Partition_Limit')).toBeNull();
    expect(() => durationToMinutes('1h')).toThrow(SlurmValueError);
  });
});

describe('memory, hostlists, task specs, output paths', () => {
  it('reads memory sizes in MB, and the old per-CPU and per-node suffixes', () => {
    expect(memoryToMB('300M')).toBe(300);
    expect(memoryToMB('4G')).toBe(4096);
    expect(memoryToMB('1.5T')).toBe(1572864);
    expect(memoryToMB('512K')).toBe(1);
    expect(memoryToMB('4000')).toBe(4000);
    expect(memoryToMB('100Mc', 4, 1)).toBe(400);
    expect(memoryToMB('4000Mn', 8, 2)).toBe(8000);
    expect(() => memoryToMB('lots')).toThrow(SlurmValueError);
  });

  it('expands hostlist expressions', () => {
    expect(expandHostlist('node[01-03,07],gpu1')).toEqual([
      'node01',
      'node02',
      'node03',
      'node07',
      'gpu1',
    ]);
    expect(expandHostlist('host-192-168-222-22')).toEqual(['host-192-168-222-22']);
  });

  it('normalizes a pending array task spec: throttle dropped, sacct hex bitmap decoded', () => {
    expect(normalizeTaskSpec('3-6%2')).toBe('3-6');
    expect(normalizeTaskSpec('0x7E')).toBe('1-6');
    expect(normalizeTaskSpec('0x1C')).toBe('2-4');
    expect(normalizeTaskSpec('0x15')).toBe('0,2,4');
    expect(normalizeTaskSpec('1-10')).toBe('1-10');
  });

  it('expands output path patterns the way slurmstepd names the file', () => {
    const ctx = {
      jobId: '53',
      arrayJobId: '44',
      arrayTaskId: '1',
      name: 'fx-array',
      user: 'ctlab',
      nodes: 'node[01-02]',
      workDir: '/tmp/ctfix',
    };
    expect(expandOutputPath('/tmp/ctfix/%x-%j.out', ctx)).toBe('/tmp/ctfix/fx-array-53.out');
    expect(expandOutputPath('%x-%A_%a.out', ctx)).toBe('/tmp/ctfix/fx-array-44_1.out');
    expect(expandOutputPath('/scratch/%u/%N-%5j.log', ctx)).toBe('/scratch/ctlab/node01-00053.log');
    expect(expandOutputPath('', ctx)).toBeNull();
  });
});

describe('TRES and GRES', () => {
  it('reads a TRES string', () => {
    expect(parseTresString('cpu=16,mem=120000M,node=1,billing=80,gres/gpu=8')).toEqual({
      cpus: 16,
      memoryMB: 120000,
      nodes: 1,
      gpus: 8,
    });
    expect(parseTresString('billing=2,cpu=2,mem=300M,node=1')).toEqual({
      cpus: 2,
      memoryMB: 300,
      nodes: 1,
      gpus: null,
    });
    expect(parseTresString('cpu=4,mem=8G,node=1,gres/gpu:a100=2,gres/gpu:v100=1').gpus).toBe(3);
    expect(parseTresString('cpu=4,gres/gpu=2,gres/gpu:a100=2').gpus).toBe(2);
  });

  it('reads sacct TRES arrays, typed GPU counts only when the total is absent', () => {
    const items = [
      { type: 'cpu', name: '', count: 1 },
      { type: 'mem', name: '', count: 512 },
      { type: 'energy', name: '', count: -2 },
      { type: 'node', name: '', count: 1 },
      { type: 'gres', name: 'gpu', count: 4 },
      { type: 'gres', name: 'gpu:h100', count: 4 },
    ];
    expect(parseTresArray(items)).toEqual({ cpus: 1, memoryMB: 512, nodes: 1, gpus: 4 });
    expect(parseTresArray([{ type: 'gres', name: 'gpu:a100', count: 2 }]).gpus).toBe(2);
  });

  it('takes GPUs asked for per job, node or task when the TRES does not list them', () => {
    expect(requestedGpus('gres/gpu:6', null, 1, null, 1)).toBe(6);
    expect(requestedGpus(null, 'gres:gpu:2', 3, null, 3)).toBe(6);
    expect(requestedGpus(null, null, 1, 'gres/gpu:1', 4)).toBe(4);
    expect(requestedGpus(null, null, 1, null, 1)).toBeNull();
    expect(resources(parseTresString('cpu=1,mem=512M,node=1,billing=1'), 6).gpus).toBe(6);
  });

  it('reads node GRES strings with types, socket and index annotations', () => {
    expect(parseGres('gpu:a100:4(S:0-1)')).toEqual({ gpus: 4, gpuType: 'a100' });
    expect(parseGres('gpu:a100:2(IDX:0-1)').gpus).toBe(2);
    expect(parseGres('gpu:h100:2,gpu:h200:4')).toEqual({ gpus: 6, gpuType: 'h100,h200' });
    expect(parseGres('gpu:h100:1(IDX:0),gpu:h200:0(IDX:N/A)').gpus).toBe(1);
    expect(parseGres('gpu:4(S:0,1)')).toEqual({ gpus: 4, gpuType: null });
    expect(parseGres('gpu:0,tpu:0')).toEqual({ gpus: 0, gpuType: null });
    expect(parseGres('(null)')).toEqual({ gpus: 0, gpuType: null });
  });
});

describe('states', () => {
  it('keeps the base job state of a list and drops its flags', () => {
    expect(jobBaseState(['RUNNING', 'COMPLETING'])).toBe('RUNNING');
    expect(jobBaseState(['COMPLETING', 'FAILED'])).toBe('FAILED');
    expect(jobBaseState(['PENDING', 'REQUEUED'])).toBe('PENDING');
    expect(jobBaseState('CANCELLED by 1001')).toBe('CANCELLED');
    expect(jobBaseState('cancelled')).toBe('CANCELLED');
    expect(jobBaseState('COMPLETING')).toBe('COMPLETING');
    expect(() => jobBaseState([])).toThrow('empty job state');
  });

  it('reads node states in every shape to the same base state and sorted flags', () => {
    const drained = { state: 'IDLE', flags: ['DRAIN'] };
    expect(nodeState('idle', ['DRAIN'])).toEqual(drained);
    expect(nodeState(['IDLE', 'DRAIN'])).toEqual(drained);
    expect(nodeState('IDLE+DRAIN')).toEqual(drained);
    expect(nodeState('idle+drain')).toEqual(drained);
    expect(nodeState('drained')).toEqual(drained);
    expect(nodeState('unknown+drain+not_responding')).toEqual({
      state: 'UNKNOWN',
      flags: ['DRAIN', 'NOT_RESPONDING'],
    });
    expect(nodeState('drained*')).toEqual({ state: 'IDLE', flags: ['DRAIN', 'NOT_RESPONDING'] });
    expect(nodeState('down*')).toEqual({ state: 'DOWN', flags: ['NOT_RESPONDING'] });
    expect(nodeState('DOWN+NOT_RESPONDING')).toEqual({ state: 'DOWN', flags: ['NOT_RESPONDING'] });
    expect(nodeState('idle~')).toEqual({ state: 'IDLE', flags: ['POWERED_DOWN'] });
    expect(nodeState('draining')).toEqual({ state: 'MIXED', flags: ['DRAIN'] });
  });
});

describe('exit codes', () => {
  it('decodes a raw wait status (squeue --json up to v0.0.39)', () => {
    expect(decodeWaitStatus(768)).toEqual({ exitCode: 3, signal: null });
    expect(decodeWaitStatus(9)).toEqual({ exitCode: null, signal: 9 });
    expect(decodeWaitStatus(15)).toEqual({ exitCode: null, signal: 15 });
    expect(decodeWaitStatus(0)).toEqual({ exitCode: 0, signal: null });
  });

  it('decodes the verbose exit-code object of every version', () => {
    expect(
      decodeJsonExitCode({
        status: 'SIGNALED',
        return_code: null,
        signal: { signal_id: 9, name: 'Killed' },
      }),
    ).toEqual({ exitCode: null, signal: 9 });
    expect(
      decodeJsonExitCode({
        status: ['ERROR'],
        return_code: { set: true, infinite: false, number: 1 },
      }),
    ).toEqual({ exitCode: 1, signal: null });
    expect(
      decodeJsonExitCode({
        status: ['SIGNALED'],
        return_code: { set: false, infinite: false, number: 0 },
        signal: { id: { set: true, infinite: false, number: 15 }, name: 'TERM' },
      }),
    ).toEqual({ exitCode: null, signal: 15 });
    expect(decodeJsonExitCode({ set: true, infinite: false, number: 512 })).toEqual({
      exitCode: 2,
      signal: null,
    });
  });

  it('decodes text code:signal', () => {
    expect(decodeTextExitCode('3:0')).toEqual({ exitCode: 3, signal: null });
    expect(decodeTextExitCode('0:9')).toEqual({ exitCode: null, signal: 9 });
    expect(() => decodeTextExitCode('x:y')).toThrow(SlurmValueError);
  });

  it('records no exit code that contradicts the state, and none for a job still running', () => {
    // Slurm 22.05 sacct --json prints `exit 3` as SUCCESS/0 beside state FAILED.
    expect(exitStatusForState('FAILED', { exitCode: 0, signal: null })).toEqual({
      exitCode: null,
      signal: null,
    });
    expect(exitStatusForState('TIMEOUT', { exitCode: 0, signal: null })).toEqual({
      exitCode: null,
      signal: null,
    });
    expect(exitStatusForState('FAILED', { exitCode: 3, signal: null })).toEqual({
      exitCode: 3,
      signal: null,
    });
    expect(exitStatusForState('COMPLETED', { exitCode: 0, signal: null })).toEqual({
      exitCode: 0,
      signal: null,
    });
    expect(exitStatusForState('RUNNING', { exitCode: 0, signal: null })).toEqual({
      exitCode: null,
      signal: null,
    });
  });
});
