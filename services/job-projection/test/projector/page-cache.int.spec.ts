import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ListJobs, RebuildProjection } from '@clocktower/contracts';
import type { SqliteEventStore } from '@clocktower/event-store';
import { until } from '@clocktower/testing';
import {
  appendJob,
  openStore,
  startProjection,
  tempDir,
  type Projection,
} from './projector-support.js';

describe('job list pages kept while the read model does not move', () => {
  let temp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  let projection: Projection | undefined;

  const ids = async (query: Partial<ListJobs> = {}): Promise<string[]> =>
    (await projection!.client.request(ListJobs, { sort: 'jobId', ...query })).items.map(
      (j) => j.jobId,
    );
  const cache = async () => (await projection!.status()).pageCache;

  beforeEach(async () => {
    temp = tempDir();
    store = openStore(temp.dir);
    await appendJob(store, '1', { user: 'alice', started: true });
    await appendJob(store, '2', { user: 'bob' });
  });

  afterEach(async () => {
    await projection?.close();
    projection = undefined;
    await store.close();
    temp.remove();
  });

  it('answers a list asked again from memory, and never a page the model has moved past', async () => {
    projection = await startProjection(store, temp.dir);
    await projection.caughtUp();
    expect(await ids()).toEqual(['1', '2']);
    expect(await ids()).toEqual(['1', '2']);
    expect(await cache()).toMatchObject({ maxBytes: 16 * 2 ** 20, pages: 1, hits: 1, misses: 1 });

    // The caller's scope is part of the query: bob's list is not alice's nor everybody's.
    expect(await ids({ onlyUser: 'bob' })).toEqual(['2']);
    expect(await ids({ onlyUser: 'alice' })).toEqual(['1']);
    expect(await cache()).toMatchObject({ pages: 3, hits: 1, misses: 3 });

    await appendJob(store, '3', { user: 'bob' });
    await projection.caughtUp();
    expect(await ids()).toEqual(['1', '2', '3']);
    expect(await ids({ onlyUser: 'bob' })).toEqual(['2', '3']);
    expect(await cache()).toMatchObject({ pages: 2, hits: 1, misses: 5 });
  });

  it('starts again empty on the model a rebuild installs, answering as before', async () => {
    projection = await startProjection(store, temp.dir);
    await projection.caughtUp();
    const before = await ids();
    await ids();
    expect((await projection.client.request(RebuildProjection, { name: 'jobs' })).started).toBe(
      true,
    );
    await until('the rebuild to finish', async () => {
      const rebuild = (await projection!.status()).rebuild;
      return rebuild?.finishedAt != null;
    });
    const { hits, misses } = await cache();
    expect(await ids()).toEqual(before);
    expect(await cache()).toMatchObject({ pages: 1, hits, misses: misses + 1 });
  });

  it('keeps nothing when turned off', async () => {
    projection = await startProjection(store, temp.dir, { pageCacheBytes: 0 });
    await projection.caughtUp();
    expect(await ids()).toEqual(['1', '2']);
    expect(await ids()).toEqual(['1', '2']);
    expect(await cache()).toEqual({ maxBytes: 0, bytes: 0, pages: 0, hits: 0, misses: 2 });
  });
});
