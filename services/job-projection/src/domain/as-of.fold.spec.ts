import { describe, expect, it } from '@jest/globals';
import type { JobRecord, NodeRecord } from '@clocktower/contracts';
import { countByState, isLiveAt, jobAsOf, nodeAsOf, type HistoryStep } from './as-of.fold.js';

const record = { jobId: '7', state: 'PENDING', stateReason: 'Priority' } as JobRecord;
const steps: HistoryStep[] = [
  { type: 'JobSubmitted', data: { record }, occurredAt: '2024-05-01T10:00:00.000Z', position: 1 },
  {
    type: 'JobStateChanged',
    data: { to: 'RUNNING' },
    occurredAt: '2024-05-01T10:10:00.000Z',
    position: 5,
  },
  {
    type: 'JobStateChanged',
    data: { to: 'COMPLETED' },
    occurredAt: '2024-05-01T11:00:00.000Z',
    position: 9,
  },
];

describe('jobAsOf', () => {
  it('folds the events observed at or before the time', () => {
    expect(jobAsOf('s', steps, '2024-05-01T09:59:59.999Z')).toBeUndefined();
    expect(jobAsOf('s', steps, '2024-05-01T10:00:00.000Z')?.record.state).toBe('PENDING');
    expect(jobAsOf('s', steps, '2024-05-01T10:30:00.000Z')?.record.state).toBe('RUNNING');
    expect(jobAsOf('s', steps, '2024-05-01T12:00:00.000Z')?.record.state).toBe('COMPLETED');
  });

  it('counts a job as live while it exists and is not in a final state', () => {
    expect(isLiveAt(jobAsOf('s', steps, '2024-05-01T10:30:00.000Z'))).toBe(true);
    expect(isLiveAt(jobAsOf('s', steps, '2024-05-01T12:00:00.000Z'))).toBe(false);
    expect(isLiveAt(undefined)).toBe(false);
  });
});

describe('nodeAsOf', () => {
  it('knows a node removed by then, and one added again since', () => {
    const node = { name: 'n1', state: 'IDLE' } as NodeRecord;
    const history: HistoryStep[] = [
      {
        type: 'NodeAdded',
        data: { record: node },
        occurredAt: '2024-05-01T10:00:00.000Z',
        position: 1,
      },
      { type: 'NodeRemoved', data: {}, occurredAt: '2024-05-01T11:00:00.000Z', position: 2 },
      {
        type: 'NodeAdded',
        data: { record: node },
        occurredAt: '2024-05-01T12:00:00.000Z',
        position: 3,
      },
    ];
    expect(nodeAsOf('n', history, '2024-05-01T11:30:00.000Z')?.removed).toBe(true);
    expect(nodeAsOf('n', history, '2024-05-01T12:30:00.000Z')?.removed).toBe(false);
  });
});

describe('countByState', () => {
  it('counts records per state', () => {
    expect(countByState([{ state: 'A' }, { state: 'B' }, { state: 'A' }] as JobRecord[])).toEqual({
      A: 2,
      B: 1,
    });
  });
});
