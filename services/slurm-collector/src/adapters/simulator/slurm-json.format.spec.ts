import { describe, expect, it } from '@jest/globals';
import {
  formatMemory,
  gpuDetail,
  sacctExitCode,
  slurmJson,
  taskBitmap,
} from './slurm-json.format.js';

describe('Slurm JSON formats', () => {
  it('prints memory in G when it is a whole number of GiB, else in M (as the lab prints mem=1G, mem=300M)', () => {
    expect(formatMemory(1024)).toBe('1G');
    expect(formatMemory(300)).toBe('300M');
    expect(formatMemory(4000)).toBe('4000M');
  });

  it('prints pending array tasks as sacct’s hex bitmap (lab: tasks 2-4 → 0x1C)', () => {
    expect(taskBitmap([2, 3, 4])).toBe('0x1C');
    expect(taskBitmap([1])).toBe('0x2');
    expect(taskBitmap([0, 9])).toBe('0x201');
  });

  it('turns a raw wait status into sacct’s exit code object', () => {
    expect(sacctExitCode(0)).toEqual({ status: 'SUCCESS', return_code: 0 });
    expect(sacctExitCode(768)).toEqual({ status: 'FAILED', return_code: 3 });
    expect(sacctExitCode(9)).toEqual({
      status: 'SIGNALED',
      return_code: null,
      signal: { signal_id: 9, name: 'Killed' },
    });
  });

  it('names GPU cards by index, or N/A when none is used', () => {
    expect(gpuDetail('a100', [0, 1, 3])).toBe('gpu:a100:3(IDX:0-1,3)');
    expect(gpuDetail('a100', [])).toBe('gpu:a100:0(IDX:N/A)');
  });

  it('escapes every slash as Slurm’s JSON writer does, without changing the parsed value', () => {
    const body = slurmJson({ type: 'openapi/v0.0.38' });
    expect(body).toBe('{"type":"openapi\\/v0.0.38"}');
    expect(JSON.parse(body)).toEqual({ type: 'openapi/v0.0.38' });
  });
});
