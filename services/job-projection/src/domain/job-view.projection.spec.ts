import { describe, expect, it } from '@jest/globals';
import type { JobRecord } from '@clocktower/contracts';
import { evolveJobView, type JobViewState } from './job-view.projection.js';

const record = { jobId: '7', state: 'PENDING', stateReason: 'Priority' } as JobRecord;
const fold = (events: [string, Record<string, unknown>, string][]): JobViewState | undefined =>
  events.reduce<JobViewState | undefined>(
    (view, [type, data, occurredAt], i) =>
      evolveJobView(view, 'job-a-7-1', { type, data, occurredAt, position: i + 1 }),
    undefined,
  );

describe('evolveJobView', () => {
  it('keeps the record as evolveJob folds it, when it was first seen, and the last change', () => {
    const view = fold([
      ['JobSubmitted', { record }, '2024-05-01T10:00:00.000Z'],
      ['JobStateChanged', { to: 'RUNNING', reason: null }, '2024-05-01T10:05:00.000Z'],
    ]);
    expect(view).toEqual({
      stream: 'job-a-7-1',
      record: { ...record, state: 'RUNNING', stateReason: null },
      updatedAt: '2024-05-01T10:05:00.000Z',
      position: 2,
      firstAt: '2024-05-01T10:00:00.000Z',
      finalAt: null,
    });
  });

  it('records when the job became final, keeps it when the end is stated again, clears it on requeue', () => {
    const ended = fold([
      ['JobSubmitted', { record }, '2024-05-01T10:00:00.000Z'],
      ['JobStateChanged', { to: 'NODE_FAIL' }, '2024-05-01T11:00:00.000Z'],
      ['JobEnded', { state: 'NODE_FAIL', exitCode: null }, '2024-05-01T11:01:00.000Z'],
    ]);
    expect(ended?.finalAt).toBe('2024-05-01T11:00:00.000Z');
    const requeued = evolveJobView(ended, 'job-a-7-1', {
      type: 'JobStateChanged',
      data: { to: 'PENDING', reason: 'BeginTime' },
      occurredAt: '2024-05-01T11:05:00.000Z',
      position: 4,
    });
    expect(requeued?.finalAt).toBeNull();
  });

  it('cannot fold an event before the job’s JobSubmitted', () => {
    expect(
      fold([['JobStateChanged', { to: 'RUNNING' }, '2024-05-01T10:00:00.000Z']]),
    ).toBeUndefined();
  });
});
