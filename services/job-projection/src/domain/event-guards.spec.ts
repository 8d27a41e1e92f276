import { describe, expect, it } from '@jest/globals';
import { recordedHistory } from '@clocktower/testing';
import { checkEvent, foldCategoryOf } from './event-guards.js';

describe('event guards', () => {
  it('pass every event the collector (here: the synthetic history) writes', () => {
    for (const event of recordedHistory({ seed: 2, jobs: 200, clusters: 2, nodes: 6 })) {
      const category = foldCategoryOf(event.stream)!;
      expect([event.type, checkEvent(category, event.type, event.data)]).toEqual([
        event.type,
        null,
      ]);
    }
  });

  it('name the field that is missing or of the wrong kind', () => {
    const base = { cluster: 'a', jobId: '1', observedIn: 'squeue' };
    expect(checkEvent('job', 'JobStateChanged', { ...base })).toBe('JobStateChanged.to: missing');
    expect(checkEvent('job', 'JobEnded', { ...base, state: 'FAILED', exitCode: 'x' })).toMatch(
      /^JobEnded\.exitCode: unexpected value "x"/,
    );
    expect(checkEvent('job', 'JobSubmitted', { ...base, record: { cluster: 'a' } })).toMatch(
      /^JobSubmitted\.record\.jobId: missing/,
    );
    expect(
      checkEvent('node', 'NodeAllocationChanged', { cluster: 'a', node: 'n', cpusAllocated: -1 }),
    ).toMatch(/cpusAllocated/);
    expect(checkEvent('cluster', 'ClusterReachable', { cluster: 'a', source: 's' })).toBe(
      'ClusterReachable.simulated: missing',
    );
  });

  it('refuse a change to a field that is not changeable, and an unknown type', () => {
    expect(
      checkEvent('job', 'JobResourcesChanged', {
        cluster: 'a',
        jobId: '1',
        changes: { state: { from: 'PENDING', to: 'COMPLETED' } },
      }),
    ).toMatch(/changes\.state: not a field that can change/);
    expect(checkEvent('node', 'NodeExploded', {})).toBe('unknown node event type "NodeExploded"');
    expect(checkEvent('job', 'JobStarted', null)).toBe('data: unexpected value null');
  });

  it('tell folded categories from ignored ones', () => {
    expect(['job-a-1-1', 'node-a-n1', 'cluster-a', 'user-1', 'jobs'].map(foldCategoryOf)).toEqual([
      'job',
      'node',
      'cluster',
      null,
      null,
    ]);
  });
});
