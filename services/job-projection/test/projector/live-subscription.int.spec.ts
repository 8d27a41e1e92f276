import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ClusterPolled,
  createMessage,
  GetCluster,
  GetJob,
  GetJobHistory,
  JobStateChanged,
  ListJobs,
  ProjectionAdvanced,
  Subjects,
} from '@clocktower/contracts';
import type { SqliteEventStore } from '@clocktower/event-store';
import { BusClient } from '@clocktower/messaging';
import { until } from '@clocktower/testing';
import type { ReadModel } from '../../src/adapters/store/read-model.port.js';
import { SqliteReadModel } from '../../src/adapters/store/sqlite-read-model.js';
import {
  appendJob,
  CLUSTER,
  jobStream,
  openStore,
  RecordingStore,
  snapshot,
  startProjection,
  tempDir,
  type Projection,
} from './projector-support.js';

/** A read model whose batches fail while `failing()` holds, as SQLite does when the file is locked. */
function failingWhile(model: ReadModel, failing: () => boolean): ReadModel {
  return new Proxy(model, {
    get(target, property) {
      if (property === 'applyBatch') {
        return (events: Parameters<ReadModel['applyBatch']>[0]) => {
          if (failing()) {
            throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
          }
          return target.applyBatch(events);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

describe('job-projection following the store', () => {
  let temp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  const open: Projection[] = [];

  const start = async (...args: Parameters<typeof startProjection>): Promise<Projection> => {
    const projection = await startProjection(...args);
    open.push(projection);
    return projection;
  };

  beforeEach(() => {
    temp = tempDir();
    store = openStore(temp.dir);
  });

  afterEach(async () => {
    for (const projection of open.splice(0)) await projection.close();
    await store.close();
    temp.remove();
  });

  it('resumes from its checkpoint after a restart, folding only the events appended since', async () => {
    for (const id of ['1', '2', '3']) await appendJob(store, id, { started: true });
    const first = await start(store, temp.dir);
    await first.caughtUp();
    const checkpoint = BigInt((await first.status()).position);
    await first.close();
    open.length = 0;

    await appendJob(store, '4');
    await appendJob(store, '5');
    const recording = new RecordingStore(store);
    const second = await start(recording, temp.dir);
    await second.caughtUp();

    expect(recording.subscribedFrom).toEqual([checkpoint]);
    expect(recording.delivered.map((e) => e.stream)).toEqual([jobStream('4'), jobStream('5')]);
    const jobs = await second.client.request(ListJobs, { sort: 'jobId' });
    expect(jobs.items.map((j) => j.jobId)).toEqual(['1', '2', '3', '4', '5']);
    const history = await second.client.request(GetJobHistory, { cluster: CLUSTER, jobId: '1' });
    expect(history?.events.map((e) => e.type)).toEqual(['JobSubmitted', 'JobStateChanged']);
  });

  it('changes nothing when events are delivered twice or again after a restart', async () => {
    for (let id = 1; id <= 20; id++) await appendJob(store, String(id), { started: id % 2 === 0 });
    const cleanDir = tempDir();
    try {
      const clean = await start(store, cleanDir.dir);
      await clean.caughtUp();
      const expected = await snapshot(clean.client);

      const stuttering = new RecordingStore(store, { twice: true, rewind: 7n });
      const first = await start(stuttering, temp.dir);
      await first.caughtUp();
      await first.close();
      open.splice(open.indexOf(first), 1);
      // Restarted: the subscription starts seven events before the checkpoint.
      const again = await start(stuttering, temp.dir);
      await again.caughtUp();

      expect(stuttering.subscribedFrom.length).toBe(2);
      expect(await snapshot(again.client)).toEqual(expected);
    } finally {
      for (const projection of open.splice(0)) await projection.close();
      cleanDir.remove();
    }
  });

  it('parks a malformed event, logs why, and goes on with the events after it', async () => {
    await appendJob(store, '1');
    // A JobStateChanged without its states: the store takes it, the projection cannot fold it.
    const bad = await store.append(
      jobStream('1'),
      [createMessage(JobStateChanged, { cluster: CLUSTER, jobId: '1' } as JobStateChanged)],
      { expectedRevision: 'any' },
    );
    await appendJob(store, '2', { started: true });
    const projection = await start(store, temp.dir);
    await projection.caughtUp();

    const status = await projection.status();
    expect(status.parked).toBe(1);
    expect(status.position).toBe((await store.headPosition()).toString());
    const parked = projection.logger.at('warn').filter((m) => m['position'] !== undefined);
    expect(parked).toEqual([
      expect.objectContaining({
        position: bad.position.toString(),
        stream: jobStream('1'),
        type: 'JobStateChanged',
        reason: expect.any(String),
      }),
    ]);
    const job = await projection.client.request(GetJob, { cluster: CLUSTER, jobId: '2' });
    expect(job?.state).toBe('RUNNING');
  });

  it('starts from an empty read model when the store behind it was replaced', async () => {
    for (const id of ['1', '2', '3']) await appendJob(store, id);
    const first = await start(store, temp.dir);
    await first.caughtUp();
    await first.close();
    open.length = 0;
    await store.close();
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(join(temp.dir, `events.db${suffix}`), { force: true });
    store = openStore(temp.dir);
    await appendJob(store, '9');

    const second = await start(store, temp.dir);
    await second.caughtUp();
    const jobs = await second.client.request(ListJobs, {});
    expect(jobs.items.map((j) => j.jobId)).toEqual(['9']);
    expect(second.logger.at('warn')).toContainEqual(
      expect.objectContaining({ position: '3', headPosition: '1' }),
    );
  });

  it('retries a failing batch from its checkpoint and reports not ready until one succeeds', async () => {
    let locked = true;
    const projection = await start(store, temp.dir, {
      openModel: (file) => failingWhile(SqliteReadModel.open(file), () => locked),
      retry: { initialMs: 5, maxMs: 50 },
    });
    await appendJob(store, '1', { started: true });

    await until('the projection to report failure', async () => {
      const report = await projection.running.readiness.report();
      return report.checks.some((c) => c.name === 'projection' && !c.ok);
    });
    expect((await projection.status()).status).toBe('failed');
    expect(projection.logger.at('error')).toContainEqual(
      expect.objectContaining({ error: 'database is locked' }),
    );

    locked = false;
    await projection.caughtUp();
    await until('the projection to be ready again', async () => {
      const report = await projection.running.readiness.report();
      return report.ready;
    });
    const job = await projection.client.request(GetJob, { cluster: CLUSTER, jobId: '1' });
    expect(job?.state).toBe('RUNNING');
  });

  it('publishes ProjectionAdvanced with the position of each committed batch', async () => {
    const projection = await start(store, temp.dir);
    const positions: string[] = [];
    projection.bus.subscribe(
      Subjects.event(ProjectionAdvanced.category, ProjectionAdvanced),
      (m) => {
        positions.push((m.data as ProjectionAdvanced).position);
      },
    );
    await appendJob(store, '1');
    await appendJob(store, '2');
    const head = (await store.headPosition()).toString();
    await until('ProjectionAdvanced at the head', () => positions.includes(head));
    expect(positions.map(BigInt)).toEqual(
      [...positions.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)),
    );
  });

  it('records the collector’s ClusterPolled notifications as the cluster’s last poll', async () => {
    await appendJob(store, '1');
    const projection = await start(store, temp.dir);
    await projection.caughtUp();
    const polledAt = '2025-01-01T00:05:00.000Z';
    await new BusClient(projection.bus).notify(
      ClusterPolled.category,
      createMessage(ClusterPolled, { cluster: CLUSTER, ok: true, polledAt }),
    );
    await until('the poll to show', async () => {
      const cluster = await projection.client.request(GetCluster, { cluster: CLUSTER });
      return cluster?.lastPollAt === polledAt;
    });
  });
});
