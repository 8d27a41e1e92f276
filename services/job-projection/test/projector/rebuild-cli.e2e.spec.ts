import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SqliteEventStore } from '@clocktower/event-store';
import {
  appendJob,
  openStore,
  RecordingStore,
  startProjection,
  tempDir,
  type Projection,
} from './projector-support.js';

/** The built command (`npm test` builds first; alone: `npx tsc -b services/job-projection`). */
const CLI = join(import.meta.dirname, '../../dist/app/rebuild.cli.js');

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build job-projection first`);
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run projection (the rebuild command line)', () => {
  let temp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  let projection: Projection | undefined;

  beforeEach(async () => {
    temp = tempDir();
    store = openStore(temp.dir);
    for (let id = 1; id <= 40; id++) await appendJob(store, String(id), { started: id % 2 === 0 });
  });

  afterEach(async () => {
    await projection?.close();
    projection = undefined;
    await store.close();
    temp.remove();
  });

  it('rebuilds the data directory’s read model with the service stopped; the service resumes from it', async () => {
    const head = await store.headPosition();
    const rebuild = await cli(['rebuild', '--data', temp.dir], { LOG_LEVEL: 'error' });
    expect(rebuild).toMatchObject({ code: 0 });
    expect(rebuild.stdout).toContain(`rebuilt jobs: ${head} events in`);
    expect(rebuild.stderr).toMatch(
      /rebuild jobs: \d+ \/ \d+ events \(100%\), [\d,]+ events\/s, ETA 0 s/,
    );

    const status = await cli(['status'], { CLOCKTOWER_DATA: temp.dir });
    expect(status.stdout).toContain(
      `projection jobs: position ${head}, head ${head}, lag 0, parked 0`,
    );

    const recording = new RecordingStore(store);
    projection = await startProjection(recording, temp.dir);
    await projection.caughtUp();
    expect(recording.subscribedFrom).toEqual([head]);
    expect(recording.delivered).toEqual([]);
    expect((await projection.status()).position).toBe(head.toString());
  });

  it('says how to rebuild instead when the service runs on the read model and is out of its reach', async () => {
    projection = await startProjection(store, temp.dir);
    await projection.caughtUp();
    const run = await cli(['rebuild', '--data', temp.dir], { CLOCKTOWER_BUS: 'in-process' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`job-projection (pid ${process.pid}`);
    expect(run.stderr).toContain('POST /api/v1/admin/projections/jobs/rebuild');
  });

  it('names what is wrong with its arguments', async () => {
    const run = await cli(['rebuild', '--frobnicate'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option --frobnicate');
  });
});
