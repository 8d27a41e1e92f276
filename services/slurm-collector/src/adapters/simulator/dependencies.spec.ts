import { describe, expect, it } from '@jest/globals';
import { formatDependencies, parseDependency } from './dependencies.js';
import { SimulatedCommandRejectedError } from './simulator.errors.js';

describe('parseDependency', () => {
  it('reads every job id of every term, tasks and delays included', () => {
    expect(parseDependency('afterok:12:13_2+5,afterany:14')).toEqual([
      { type: 'afterok', jobId: 12, taskId: null },
      { type: 'afterok', jobId: 13, taskId: 2 },
      { type: 'afterany', jobId: 14, taskId: null },
    ]);
  });

  it('reads singleton, and aftercorr as afterany', () => {
    expect(parseDependency('singleton?aftercorr:3')).toEqual([
      { type: 'singleton', jobId: 0, taskId: null },
      { type: 'afterany', jobId: 3, taskId: null },
    ]);
  });

  it('refuses what is not a dependency', () => {
    expect(() => parseDependency('afterok:1 && id')).toThrow(SimulatedCommandRejectedError);
  });
});

describe('formatDependencies', () => {
  it('prints what is still awaited as squeue does (lab: afterok:4(failed))', () => {
    expect(
      formatDependencies([
        { type: 'afterok', jobId: 4, state: 'failed' },
        { type: 'singleton', jobId: 0, state: 'unfulfilled' },
      ]),
    ).toBe('afterok:4(failed),singleton(unfulfilled)');
  });
});
