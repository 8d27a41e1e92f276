import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { SqliteEventStore } from '@clocktower/event-store';
import { SqliteReadModel } from '../../src/adapters/store/sqlite-read-model.js';
import {
  ProjectionRebuild,
  type FreshReadModel,
  type SwitchOver,
} from '../../src/app/projector/projection.rebuild.js';
import { ReadModelFiles } from '../../src/app/projector/read-model.files.js';
import { appendJob, CapturingLogger, CLUSTER, openStore, tempDir } from './projector-support.js';

describe('ProjectionRebuild, step by step', () => {
  let temp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;

  beforeEach(() => {
    temp = tempDir();
    store = openStore(temp.dir);
  });

  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  it('ends the bulk load before pausing the live subscription, and folds what came meanwhile', async () => {
    for (let id = 1; id <= 20; id++) await appendJob(store, String(id));
    const steps: string[] = [];
    let installed: SqliteReadModel | undefined;
    const switchOver: SwitchOver = {
      pause: () => {
        steps.push('pause');
        return Promise.resolve();
      },
      install: (model) => {
        steps.push('install');
        installed = model as SqliteReadModel;
      },
      resume: () => steps.push('resume'),
    };
    const rebuild = new ProjectionRebuild({
      projection: 'jobs',
      store,
      files: new ReadModelFiles(join(temp.dir, 'projection-jobs.db')),
      openModel: (file): FreshReadModel => {
        const model = SqliteReadModel.openFresh(file);
        const finish = model.finishBulkLoad.bind(model);
        // While the bulk load ends, the store goes on: two more jobs arrive.
        model.finishBulkLoad = async () => {
          steps.push('finishBulkLoad');
          await finish();
          await appendJob(store, '21');
          await appendJob(store, '22');
        };
        return model;
      },
      logger: new CapturingLogger(),
      batchSize: 7,
    });

    expect(rebuild.start(switchOver)).toBe(true);
    await rebuild.whenDone();

    expect(rebuild.progress()?.error).toBeNull();
    expect(steps).toEqual(['finishBulkLoad', 'pause', 'install']);
    const model = installed!;
    try {
      // The two jobs appended after the bulk load ended were folded before the switch-over.
      expect(model.position()).toBe(await store.headPosition());
      expect(model.listJobs({ limit: 100 }).total).toBe(22);
      expect(model.getJob(CLUSTER, '22', {})?.jobId).toBe('22');
    } finally {
      model.close();
    }
  });
});
