import { afterEach, describe, expect, it } from '@jest/globals';
import { JobUserPropsDeleted, JobUserPropsSet, jobUserPropsStream } from '@clocktower/contracts';
import type { SqliteReadModel } from '../../src/adapters/store/sqlite-read-model.js';
import { EventLog, openTempModel } from './read-model-support.js';

const disposers: (() => void)[] = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
});

function fresh(): { model: SqliteReadModel } {
  const { model, dispose } = openTempModel();
  disposers.push(dispose);
  return { model };
}

const T = '2026-01-10T08:00:00.000Z';
const ids = (userId: string, jobId = '42') => ({ cluster: 'mila', jobId, userId });
const stream = (userId: string, jobId = '42') => jobUserPropsStream('mila', jobId, userId);

describe('job-user props in the read model', () => {
  it('folds each user’s sets and deletes into their own props on the job', () => {
    const { model } = fresh();
    const log = new EventLog();
    log.add(JobUserPropsSet, stream('u1'), { ...ids('u1'), updates: { a: 1, b: 'x' } }, T);
    log.add(JobUserPropsSet, stream('u2'), { ...ids('u2'), updates: { a: 'theirs' } }, T);
    log.add(JobUserPropsSet, stream('u1'), { ...ids('u1'), updates: { b: { deep: true } } }, T);
    log.add(JobUserPropsDeleted, stream('u1'), { ...ids('u1'), keys: ['a'] }, T);
    model.applyBatch(log.events);

    const mine = model.listJobUserProps('u1', [
      { cluster: 'mila', jobId: '42' },
      { cluster: 'mila', jobId: '43' },
    ]);
    expect(mine.items).toEqual([
      { cluster: 'mila', jobId: '42', props: { b: { deep: true } }, updatedAt: T },
    ]);
    expect(mine.projectedPosition).toBe('4');
    expect(
      model.listJobUserProps('u2', [{ cluster: 'mila', jobId: '42' }]).items[0]?.props,
    ).toEqual({
      a: 'theirs',
    });
  });

  it('forgets a job’s props once every key is deleted', () => {
    const { model } = fresh();
    const log = new EventLog();
    log.add(JobUserPropsSet, stream('u1'), { ...ids('u1'), updates: { a: 1 } }, T);
    log.add(JobUserPropsDeleted, stream('u1'), { ...ids('u1'), keys: ['a'] }, T);
    model.applyBatch(log.events);
    expect(model.listJobUserProps('u1', [{ cluster: 'mila', jobId: '42' }]).items).toEqual([]);
  });

  it('parks a props event that is malformed or not in its own stream, and goes on', () => {
    const { model } = fresh();
    const log = new EventLog();
    log.add(JobUserPropsSet, stream('u1'), { ...ids('u1'), updates: ['not', 'an', 'object'] }, T);
    log.add(JobUserPropsSet, stream('u2'), { ...ids('u1'), updates: { a: 1 } }, T);
    log.add(JobUserPropsSet, stream('u1'), { ...ids('u1'), updates: { ok: true } }, T);
    const { parked } = model.applyBatch(log.events);
    expect(parked.map((p) => [p.position, p.reason])).toEqual([
      [1n, 'updates: not an object'],
      [2n, expect.stringContaining("not this stream's")],
    ]);
    expect(model.parkedCount()).toBe(2);
    expect(
      model.listJobUserProps('u1', [{ cluster: 'mila', jobId: '42' }]).items[0]?.props,
    ).toEqual({
      ok: true,
    });
  });

  it('changes nothing when a batch is delivered again (at least once, folded once)', () => {
    const { model } = fresh();
    const log = new EventLog();
    log.add(JobUserPropsSet, stream('u1'), { ...ids('u1'), updates: { n: 1 } }, T);
    log.add(JobUserPropsDeleted, stream('u1'), { ...ids('u1'), keys: ['n'] }, T);
    log.add(JobUserPropsSet, stream('u1'), { ...ids('u1'), updates: { m: 2 } }, T);
    model.applyBatch(log.events);
    model.applyBatch(log.events);
    expect(
      model.listJobUserProps('u1', [{ cluster: 'mila', jobId: '42' }]).items[0]?.props,
    ).toEqual({
      m: 2,
    });
  });

  it('folds the same props in a rebuild (bulk load) as live, batch by batch', async () => {
    const log = new EventLog();
    for (let i = 0; i < 50; i++) {
      const user = `u${i % 3}`;
      const jobId = String(40 + (i % 4));
      if (i % 5 === 4)
        log.add(
          JobUserPropsDeleted,
          stream(user, jobId),
          { ...ids(user, jobId), keys: [`k${i - 1}`] },
          T,
        );
      else
        log.add(
          JobUserPropsSet,
          stream(user, jobId),
          { ...ids(user, jobId), updates: { [`k${i}`]: i } },
          T,
        );
    }
    const live = fresh().model;
    for (const event of log.events) live.applyBatch([event]);
    const { model: rebuilt, dispose } = openTempModel('rebuild.db', { bulkLoad: true });
    disposers.push(dispose);
    rebuilt.applyBatch(log.events);
    await rebuilt.finishBulkLoad();
    const jobs = ['40', '41', '42', '43'].map((jobId) => ({ cluster: 'mila', jobId }));
    for (const user of ['u0', 'u1', 'u2']) {
      expect(rebuilt.listJobUserProps(user, jobs)).toEqual(live.listJobUserProps(user, jobs));
    }
    expect(live.listJobUserProps('u1', jobs).items.length).toBeGreaterThan(0);
  });
});
