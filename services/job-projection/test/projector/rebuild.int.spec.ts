import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetJob,
  ListJobs,
  ProjectionAdvanced,
  RebuildProjection,
  Subjects,
} from '@clocktower/contracts';
import type { SqliteEventStore } from '@clocktower/event-store';
import { until } from '@clocktower/testing';
import { ReadModelFiles } from '../../src/app/projector/read-model.files.js';
import {
  appendHistory,
  appendJob,
  CLUSTER,
  openStore,
  RecordingStore,
  snapshot,
  startProjection,
  tempDir,
  type Projection,
} from './projector-support.js';

const LARGE_HISTORY_EVENTS = 60_000;

describe('rebuilding the jobs read model', () => {
  let temp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  let files: ReadModelFiles;
  const open: Projection[] = [];

  const start = async (...args: Parameters<typeof startProjection>): Promise<Projection> => {
    const projection = await startProjection(...args);
    open.push(projection);
    return projection;
  };
  const stop = async (projection: Projection): Promise<void> => {
    open.splice(open.indexOf(projection), 1);
    await projection.close();
  };
  const finished = (projection: Projection, startedAt?: string): Promise<void> =>
    until(
      'the rebuild to finish',
      async () => {
        const rebuild = (await projection.status()).rebuild;
        return (
          rebuild !== null &&
          rebuild.finishedAt !== null &&
          (startedAt === undefined || rebuild.startedAt === startedAt)
        );
      },
      120_000,
    );

  beforeEach(() => {
    temp = tempDir();
    store = openStore(temp.dir);
    files = new ReadModelFiles(join(temp.dir, 'projection-jobs.db'));
  });

  afterEach(async () => {
    for (const projection of open.splice(0)) await projection.close();
    await store.close();
    temp.remove();
  });

  it('replays a large history into a model equal to the incrementally built one, kept across a restart', async () => {
    await appendHistory(store, LARGE_HISTORY_EVENTS);
    const head = await store.headPosition();
    const projection = await start(store, temp.dir);
    await projection.caughtUp(60_000);
    const incremental = await snapshot(projection.client);
    expect(incremental.jobs.length).toBeGreaterThan(1_000);
    const replacedFile = files.activeFile();

    const reply = await projection.client.request(RebuildProjection, { name: 'jobs' });
    expect(reply.started).toBe(true);
    await finished(projection);

    const status = await projection.status();
    expect(status).toMatchObject({ status: 'live', position: head.toString(), lag: '0' });
    expect(status.rebuild).toMatchObject({
      eventsDone: Number(head),
      eventsTotal: Number(head),
      etaSeconds: 0,
      error: null,
    });
    expect(await snapshot(projection.client)).toEqual(incremental);
    expect(files.activeFile()).not.toBe(replacedFile);
    expect(existsSync(replacedFile)).toBe(false);

    await stop(projection);
    const recording = new RecordingStore(store);
    const restarted = await start(recording, temp.dir);
    await restarted.caughtUp();
    expect(recording.subscribedFrom).toEqual([head]);
    expect(recording.delivered).toEqual([]);
    expect(await snapshot(restarted.client)).toEqual(incremental);
  });

  it('keeps answering during a rebuild and loses no event appended while it runs', async () => {
    for (let id = 1; id <= 30; id++) await appendJob(store, String(id), { started: id % 3 === 0 });
    const headAtStart = await store.headPosition();
    // The replay stops after ten events until released: the test decides when the rebuild moves on.
    const held = new RecordingStore(store, { holdReadAllAfter: 10 });
    const projection = await start(held, temp.dir, { rebuildBatchSize: 5 });
    await projection.caughtUp();
    const advanced: bigint[] = [];
    projection.bus.subscribe(
      Subjects.event(ProjectionAdvanced.category, ProjectionAdvanced),
      (m) => {
        advanced.push(BigInt((m.data as ProjectionAdvanced).position));
      },
    );

    const { started, status: atStart } = await projection.client.request(RebuildProjection, {
      name: 'jobs',
    });
    expect(started).toBe(true);
    await until('the replay to be held', () => held.held);

    const during = await projection.status();
    expect(during.status).toBe('rebuilding');
    expect(during.rebuild).toMatchObject({
      startedAt: atStart.rebuild?.startedAt,
      eventsDone: 10,
      eventsTotal: Number(headAtStart),
      finishedAt: null,
      error: null,
    });
    expect(during.rebuild?.etaSeconds).toEqual(expect.any(Number));
    expect((await projection.client.request(ListJobs, {})).total).toBe(30);

    // Live events keep reaching the model that answers, while the rebuild waits.
    for (let id = 31; id <= 35; id++) await appendJob(store, String(id));
    await projection.caughtUp();
    expect(
      await projection.client.request(GetJob, { cluster: CLUSTER, jobId: '35' }),
    ).not.toBeNull();

    const second = await projection.client.request(RebuildProjection, { name: 'jobs' });
    expect(second).toMatchObject({ started: false, status: { status: 'rebuilding' } });

    held.release();
    await finished(projection);
    const head = await store.headPosition();
    const after = await projection.status();
    expect(after).toMatchObject({ status: 'live', position: head.toString() });
    expect(after.rebuild).toMatchObject({ eventsDone: Number(head), error: null });
    expect((await projection.client.request(ListJobs, {})).total).toBe(35);
    await until('ProjectionAdvanced for the rebuilt model', () => advanced.includes(head));

    // The live subscription follows the rebuilt model now.
    await appendJob(store, '36');
    await projection.caughtUp();
    expect(
      await projection.client.request(GetJob, { cluster: CLUSTER, jobId: '36' }),
    ).not.toBeNull();

    const cleanDir = tempDir();
    try {
      const clean = await start(store, cleanDir.dir);
      await clean.caughtUp();
      expect(await snapshot(projection.client)).toEqual(await snapshot(clean.client));
    } finally {
      cleanDir.remove();
    }
  });

  it('leaves the active model in place when a rebuild fails, and says why', async () => {
    for (let id = 1; id <= 10; id++) await appendJob(store, String(id));
    const failing = new RecordingStore(store, { failReadAllAfter: 4 });
    const projection = await start(failing, temp.dir, { rebuildBatchSize: 2 });
    await projection.caughtUp();
    const activeFile = files.activeFile();

    await projection.client.request(RebuildProjection, { name: 'jobs' });
    await finished(projection);

    const status = await projection.status();
    expect(status.status).toBe('live');
    expect(status.rebuild?.error).toContain('disk read error');
    expect(files.activeFile()).toBe(activeFile);
    expect(readdirSync(temp.dir).filter((f) => f.includes('.rebuild-'))).toEqual([]);
    await appendJob(store, '11');
    await projection.caughtUp();
    expect((await projection.client.request(ListJobs, {})).total).toBe(11);
  });
});
