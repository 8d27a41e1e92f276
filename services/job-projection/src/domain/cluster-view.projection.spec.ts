import { describe, expect, it } from '@jest/globals';
import {
  emptyClusterState,
  evolveCluster,
  lastPollOf,
  observeCluster,
  recordClusterPoll,
} from './cluster-view.projection.js';

describe('a cluster’s own state', () => {
  it('follows ClusterReachable and ClusterUnreachable', () => {
    const down = evolveCluster(emptyClusterState('a'), {
      type: 'ClusterUnreachable',
      data: { source: 'ssh', reason: 'timeout' },
      occurredAt: '2024-05-01T10:00:00.000Z',
    });
    expect(down).toMatchObject({ reachable: false, unreachableReason: 'timeout', source: 'ssh' });
    const up = evolveCluster(down, {
      type: 'ClusterReachable',
      data: { source: 'ssh', simulated: true },
      occurredAt: '2024-05-01T10:05:00.000Z',
    });
    expect(up).toMatchObject({ reachable: true, unreachableReason: null, simulated: true });
  });

  it('takes the last poll from the later of a poll notification and an event a poll produced', () => {
    let state = observeCluster(emptyClusterState('a'), '2024-05-01T10:00:00.000Z');
    expect(lastPollOf(state)).toBe('2024-05-01T10:00:00.000Z');
    state = recordClusterPoll(state, true, '2024-05-01T10:01:00.000Z');
    expect(lastPollOf(state)).toBe('2024-05-01T10:01:00.000Z');
    state = recordClusterPoll(state, false, '2024-05-01T10:02:00.000Z');
    state = recordClusterPoll(state, true, '2024-05-01T09:00:00.000Z');
    expect(lastPollOf(state)).toBe('2024-05-01T10:01:00.000Z');
  });

  it('does not take a failed poll’s ClusterUnreachable as a sign of life', () => {
    const state = evolveCluster(emptyClusterState('a'), {
      type: 'ClusterUnreachable',
      data: { source: 'ssh', reason: 'timeout' },
      occurredAt: '2024-05-01T10:00:00.000Z',
    });
    expect(lastPollOf(state)).toBeNull();
    expect(state.lastEventAt).toBe('2024-05-01T10:00:00.000Z');
  });
});
