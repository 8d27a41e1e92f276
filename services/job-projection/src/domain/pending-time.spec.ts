import { describe, expect, it } from '@jest/globals';
import type { JobRecord } from '@clocktower/contracts';
import { pendingTimeOf, type PendingTimeStep } from './pending-time.js';

const t = (hhmmss: string) => `2024-05-01T${hhmmss}.000Z`;
const record = { jobId: '7', state: 'PENDING', stateReason: 'Priority' } as JobRecord;
const step = (
  type: string,
  data: Record<string, unknown>,
  occurredAt: string,
  slurmTime: string | null = null,
): PendingTimeStep => ({ type, data, occurredAt, slurmTime });

describe('pendingTimeOf', () => {
  it('attributes each pending span to the reason then in force, from Slurm’s submit time', () => {
    const result = pendingTimeOf(
      [
        step('JobSubmitted', { record }, t('10:00:30'), t('10:00:00')),
        step('JobPendingReasonChanged', { to: 'Resources' }, t('10:10:00')),
        step('JobStateChanged', { to: 'RUNNING', reason: null }, t('10:20:30'), t('10:20:00')),
      ],
      new Date(t('12:00:00')),
    );
    expect(result).toEqual({
      totalSeconds: 1200,
      byReason: [
        { reason: 'Priority', seconds: 600 },
        { reason: 'Resources', seconds: 600 },
      ],
      pending: false,
    });
  });

  it('counts the open span up to now while the job still pends', () => {
    const result = pendingTimeOf(
      [step('JobSubmitted', { record }, t('10:00:00'), t('10:00:00'))],
      new Date(t('10:01:30')),
    );
    expect(result).toEqual({
      totalSeconds: 90,
      byReason: [{ reason: 'Priority', seconds: 90 }],
      pending: true,
    });
  });

  it('adds the wait after a requeue to the same totals; a job with no reason waits for "None"', () => {
    const result = pendingTimeOf(
      [
        step(
          'JobSubmitted',
          { record: { ...record, stateReason: null } },
          t('10:00:00'),
          t('10:00:00'),
        ),
        step('JobStateChanged', { to: 'RUNNING' }, t('10:01:00'), t('10:01:00')),
        step('JobRequeued', { restartCount: 1 }, t('11:00:00'), t('11:00:00')),
        step('JobStateChanged', { to: 'PENDING', reason: 'BeginTime' }, t('11:00:00')),
        step('JobStateChanged', { to: 'RUNNING' }, t('11:02:30'), t('11:02:00')),
      ],
      new Date(t('12:00:00')),
    );
    expect(result.byReason).toEqual([
      { reason: 'None', seconds: 60 },
      { reason: 'BeginTime', seconds: 120 },
    ]);
    expect(result.totalSeconds).toBe(180);
  });

  it('never counts backwards when a Slurm time is earlier than an observation already counted', () => {
    const result = pendingTimeOf(
      [
        step('JobSubmitted', { record }, t('10:00:00'), t('10:00:00')),
        step('JobPendingReasonChanged', { to: 'Resources' }, t('10:05:00')),
        step('JobStateChanged', { to: 'RUNNING' }, t('10:05:30'), t('10:04:00')),
      ],
      new Date(t('12:00:00')),
    );
    expect(result.byReason).toEqual([
      { reason: 'Priority', seconds: 300 },
      { reason: 'Resources', seconds: 0 },
    ]);
  });

  it('has nothing to count without a JobSubmitted', () => {
    expect(pendingTimeOf([], new Date())).toEqual({
      totalSeconds: 0,
      byReason: [],
      pending: false,
    });
  });
});
