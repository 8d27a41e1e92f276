import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobView, Page } from '@clocktower/contracts';
import { freePort, runNode, until, type ChildRun } from '@clocktower/testing';

/**
 * What `npm start` promises a newcomer: the built embedded app, started on an empty data
 * directory, creates an admin, leaves its key in admin.key (owner-only) and says where, and within
 * seconds lists jobs of the simulated cluster in several states through the REST API.
 */

const main = resolve(import.meta.dirname, '../dist/main.js');
if (!existsSync(main)) {
  throw new Error('the embedded app is not built: run `npm run build` (npm test does it first)');
}

describe('npm start on an empty data directory', () => {
  let app: ChildRun;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ct-embedded-jobs-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    app = runNode(main, { CLOCKTOWER_DATA: dataDir, PORT: String(port) });
    let exited = false;
    void app.exited.then(() => (exited = true));
    await until(
      'the embedded app listening',
      async () => {
        if (exited) throw new Error(`the embedded app exited:\n${app.output()}`);
        return (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200;
      },
      30_000,
      50,
    );
  });

  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the admin key to admin.key with mode 600 and prints that path', () => {
    const keyFile = join(dataDir, 'admin.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^ct_[A-Za-z0-9]+_[A-Za-z0-9]+$/);
    expect(app.output()).toContain(keyFile);
  });

  it('lists jobs of the simulated cluster in several states with that key, within seconds', async () => {
    const key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
    let states = new Set<string>();
    await until(
      'jobs pending, running and finished',
      async () => {
        const response = await fetch(`${url}/api/v1/jobs?limit=1000`, {
          headers: { authorization: `Bearer ${key}` },
        });
        if (response.status !== 200) return false;
        const page = (await response.json()) as Page<JobView>;
        states = new Set(page.items.map((j) => j.state));
        return states.has('PENDING') && states.has('RUNNING') && states.size >= 3;
      },
      30_000,
      200,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; states seen: ${[...states].join(', ')}\n${app.output()}`);
    });
    const clusters = await fetch(`${url}/api/v1/clusters`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const body = (await clusters.json()) as { items: { cluster: string; simulated: boolean }[] };
    expect(body.items).toContainEqual(expect.objectContaining({ simulated: true }));
  });
});
