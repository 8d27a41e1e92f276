import { describe, expect, it } from '@jest/globals';
import type { ValidationFailedError } from '@clocktower/contracts';
import { Problems } from '../validation/problems.js';
import { statsPeriodOf } from './cluster-stats.period.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function periodOf(params: { from?: string; to?: string; step?: number }) {
  const problems = new Problems();
  const period = statsPeriodOf(params, NOW, problems);
  let issues: unknown = [];
  try {
    problems.throwIfAny('query parameters');
  } catch (error) {
    issues = (error as ValidationFailedError).issues;
  }
  return { period, issues };
}

describe('the period of a stats request', () => {
  it('defaults to the last 24 hours in about 200 points of whole minutes', () => {
    expect(periodOf({}).period).toEqual({
      from: '2026-02-28T12:00:00.000Z',
      to: '2026-03-01T12:00:00.000Z',
      step: 480,
    });
  });

  it('takes 24 hours before a given end, and from a given start up to now', () => {
    expect(periodOf({ to: '2026-02-01T00:00:00Z' }).period).toMatchObject({
      from: '2026-01-31T00:00:00.000Z',
    });
    expect(periodOf({ from: '2026-03-01T11:00' }).period).toEqual({
      from: '2026-03-01T11:00:00.000Z',
      to: '2026-03-01T12:00:00.000Z',
      step: 60,
    });
  });

  it('keeps a step that gives at most 1000 points', () => {
    const { period } = periodOf({
      from: '2026-03-01T00:00:00Z',
      to: '2026-03-01T12:00:00Z',
      step: 60,
    });
    expect(period?.step).toBe(60);
  });

  it('refuses a step that would give more than 1000 points, naming the smallest allowed', () => {
    const { period, issues } = periodOf({ from: '2026-02-01', to: '2026-03-01', step: 600 });
    expect(period).toBeUndefined();
    expect(issues).toEqual([
      {
        path: 'step',
        problems: ['step must be at least 2420 seconds for this period (at most 1000 points)'],
      },
    ]);
  });

  it('refuses a start that is not before the end, naming from', () => {
    for (const to of ['2026-03-01T10:00:00Z', '2026-03-01T11:00:00Z']) {
      const { period, issues } = periodOf({ from: '2026-03-01T11:00:00Z', to });
      expect(period).toBeUndefined();
      expect(issues).toEqual([{ path: 'from', problems: ['from must be before to'] }]);
    }
  });
});
