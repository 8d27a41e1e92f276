import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetCluster,
  GetClusterAsOf,
  GetClusterChanges,
  GetJob,
  GetJobHistory,
  GetJobPendingTime,
  GetNode,
  GetNodeHistory,
  ListClusters,
  ListClusterUsers,
  ListJobs,
  ListNodes,
  ListProjections,
  PROJECTION_QUERIES,
  ReadChanges,
  RebuildProjection,
  Subjects,
} from '@clocktower/contracts';
import type { SqliteEventStore } from '@clocktower/event-store';
import { RemoteHandlerError } from '@clocktower/messaging';
import {
  appendJob,
  CLUSTER,
  openStore,
  startProjection,
  tempDir,
  type Projection,
} from './projector-support.js';

describe('job-projection answering over the bus', () => {
  const temp = tempDir();
  let store: SqliteEventStore;
  let projection: Projection;

  beforeAll(async () => {
    store = openStore(temp.dir);
    await appendJob(store, '1', { user: 'alice', started: true });
    await appendJob(store, '2', { user: 'bob' });
    projection = await startProjection(store, temp.dir);
    await projection.caughtUp();
  });

  afterAll(async () => {
    await projection.close();
    await store.close();
    temp.remove();
  });

  it('has a handler for every query and command of the contracts', async () => {
    for (const cls of PROJECTION_QUERIES) {
      // A request that fails validation proves a handler listens (no responder fails differently).
      const error = await projection.bus
        .request(Subjects.of(cls), { unexpected: true })
        .catch((e: unknown) => e);
      expect([cls.type, error]).toEqual([
        cls.type,
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      ]);
    }
  });

  it('answers the job queries within the caller’s scope', async () => {
    const { client } = projection;
    const all = await client.request(ListJobs, { sort: 'jobId' });
    expect(all.items.map((j) => j.jobId)).toEqual(['1', '2']);
    const mine = await client.request(ListJobs, { onlyUser: 'bob' });
    expect(mine.items.map((j) => j.jobId)).toEqual(['2']);
    expect((await client.request(GetJob, { cluster: CLUSTER, jobId: '1' }))?.user).toBe('alice');
    const history = await client.request(GetJobHistory, { cluster: CLUSTER, jobId: '1' });
    expect(history?.events.map((e) => e.type)).toEqual(['JobSubmitted', 'JobStateChanged']);
    const pending = await client.request(GetJobPendingTime, { cluster: CLUSTER, jobId: '1' });
    expect(pending).toMatchObject({ cluster: CLUSTER, jobId: '1', pending: false });
  });

  it('replies null for what does not exist or lies outside the caller’s scope', async () => {
    const { client } = projection;
    expect(await client.request(GetJob, { cluster: CLUSTER, jobId: '404' })).toBeNull();
    expect(
      await client.request(GetJob, { cluster: CLUSTER, jobId: '1', onlyUser: 'bob' }),
    ).toBeNull();
    expect(
      await client.request(GetJobHistory, { cluster: CLUSTER, jobId: '1', onlyClusters: ['beta'] }),
    ).toBeNull();
    expect(await client.request(GetNode, { cluster: CLUSTER, name: 'n404' })).toBeNull();
    expect(await client.request(GetNodeHistory, { cluster: CLUSTER, name: 'n404' })).toBeNull();
    expect(await client.request(GetCluster, { cluster: 'nowhere' })).toBeNull();
  });

  it('answers the node, cluster, as-of and change queries', async () => {
    const { client } = projection;
    expect((await client.request(ListNodes, {})).items).toEqual([]);
    expect((await client.request(ListClusters, {})).map((c) => c.cluster)).toEqual([CLUSTER]);
    expect((await client.request(GetCluster, { cluster: CLUSTER }))?.cluster).toBe(CLUSTER);
    const users = await client.request(ListClusterUsers, { cluster: CLUSTER });
    expect(users.map((u) => u.user).sort()).toEqual(['alice', 'bob']);
    const asOf = await client.request(GetClusterAsOf, {
      cluster: CLUSTER,
      time: '2025-01-01T00:00:30.000Z',
    });
    expect(asOf?.jobs.items.map((j) => j.jobId).sort()).toEqual(['1', '2']);
    const changes = await client.request(GetClusterChanges, {
      cluster: CLUSTER,
      from: '2025-01-01T00:00:30.000Z',
      to: '2025-01-01T00:10:00.000Z',
    });
    expect(changes.items.map((c) => c.type)).toEqual(['JobStateChanged']);
    const feed = await client.request(ReadChanges, { afterPosition: '0' });
    expect(feed.items).toHaveLength(3);
    expect(feed.projectedPosition).toBe((await store.headPosition()).toString());
  });

  it('passes a bad cursor back as an error with its code', async () => {
    const error = await projection.client
      .request(ListJobs, { cursor: 'not-a-cursor' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteHandlerError);
    expect(error).toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('reports its projections, and refuses to rebuild one it does not keep', async () => {
    const [status] = await projection.client.request(ListProjections, {});
    expect(status).toMatchObject({
      name: 'jobs',
      status: 'live',
      lag: '0',
      parked: 0,
      rebuild: null,
    });
    await expect(
      projection.client.request(RebuildProjection, { name: 'pipelines' }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_PROJECTION' });
  });
});
