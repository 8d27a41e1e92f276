import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterStats, ClusterView, JobView, Page } from '@clocktower/contracts';
import { StreamCategory } from '@clocktower/contracts';
import { labComponent, until } from '@clocktower/testing';
import { userIdOf } from '../../src/domain/user-identity.js';
import { ALICE, BOB, BOB_AUX } from './support/accounts.js';
import { ApiClient, issuePaths } from './support/api-client.js';
import { startFixture, type E2eFixture } from './support/e2e-fixture.js';
import { BASE, CLUSTER } from './support/known-history.js';
import { SseConnection } from './support/sse-client.js';

/**
 * What the web dashboard needs of the gateway, the services as separate processes over NATS:
 * cluster statistics over a period (from the projection's samples and job rows), each user's
 * settings kept as events, the dashboard's files (pages, hashed assets, compression, caching),
 * and the change stream read with fetch and a Bearer header, as the page reads it.
 */

const nats = await labComponent('nats');

const INDEX =
  '<!doctype html><html><head><script src="/assets/app-3f9a1c.js"></script></head></html>';
/** Large enough to be compressed (the gateway leaves tiny files alone). */
const APP_JS = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{id:${i},name:"job-${i}"}`).join(',')}];\n`;
const at = (seconds: number): string => new Date(BASE + seconds * 1_000).toISOString();

(nats.available ? describe : describe.skip)(
  'the dashboard over HTTP, the services as separate processes over NATS',
  () => {
    let fixture: E2eFixture;
    let webDir: string;
    let unbuilt: ApiClient;
    const as = (email: string): ApiClient => fixture.admin.as(fixture.keys[email]);

    beforeAll(async () => {
      webDir = mkdtempSync(join(tmpdir(), 'ct-web-'));
      mkdirSync(join(webDir, 'assets'));
      writeFileSync(join(webDir, 'index.html'), INDEX);
      writeFileSync(join(webDir, 'assets', 'app-3f9a1c.js'), APP_JS);
      writeFileSync(join(webDir, 'secret.txt'), 'not an asset');
      fixture = await startFixture(nats.available ? nats.value : '', {
        gatewayEnv: { CLOCKTOWER_DASHBOARD_DIR: webDir },
      });
      const other = await fixture.stack.start('gateway', {
        CLOCKTOWER_DASHBOARD_DIR: join(webDir, 'missing'),
      });
      unbuilt = new ApiClient(other.url, fixture.admin.key);
    });

    afterAll(async () => {
      await fixture?.stack.stop();
      if (webDir) rmSync(webDir, { recursive: true, force: true });
    });

    describe('GET /api/v1/clusters/{cluster}/stats', () => {
      const period = { from: at(0), to: at(900), step: '60' };

      it('gives the cluster at the end of each minute, carried through quiet ones', async () => {
        const stats = await fixture.admin.ok<ClusterStats>(
          `/api/v1/clusters/${CLUSTER}/stats`,
          period,
        );
        expect(stats).toMatchObject({ cluster: CLUSTER, from: at(0), to: at(900), step: 60 });
        expect(stats.points.map((p) => p.at)).toEqual(
          Array.from({ length: 15 }, (_, i) => at(60 * (i + 1))),
        );
        // At 120 s: 1001 pending, 1002 running on n03 (1 CPU, 1 GPU); 32 CPUs, 2 GPUs in all.
        expect(stats.points[1]).toMatchObject({
          jobs: { PENDING: 1, RUNNING: 1 },
          cpus: { used: 1, total: 32 },
          gpus: { used: 1, total: 2 },
        });
        const view = await fixture.admin.ok<ClusterView>(`/api/v1/clusters/${CLUSTER}`);
        const last = stats.points.at(-1)!;
        expect(last.jobs).toEqual(view.jobsByState);
        expect(last.cpus).toEqual({ used: view.cpus.allocated, total: view.cpus.total });
        expect(stats.points.at(-2)!.jobs).toEqual(last.jobs);
      });

      it('counts the queue wait of each job in the bucket it started in', async () => {
        const stats = await fixture.admin.ok<ClusterStats>(
          `/api/v1/clusters/${CLUSTER}/stats`,
          period,
        );
        const jobs = await fixture.admin.ok<Page<JobView>>('/api/v1/jobs', {
          cluster: CLUSTER,
          limit: '1000',
        });
        const expected = new Map<string, number[]>();
        for (const job of jobs.items) {
          if (job.startTime === null) continue;
          const start = Date.parse(job.startTime);
          const end = at(Math.ceil((start - BASE) / 60_000) * 60);
          const wait = (start - Date.parse(job.eligibleTime ?? job.submitTime!)) / 1_000;
          expected.set(end, [...(expected.get(end) ?? []), wait]);
        }
        expect(expected.size).toBeGreaterThan(2);
        for (const point of stats.points) {
          const waits = expected.get(point.at) ?? [];
          expect(point.waits).toEqual({
            count: waits.length,
            meanSeconds: waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : null,
            maxSeconds: waits.length ? Math.max(...waits) : null,
          });
        }
      });

      it('defaults to the last 24 hours in 180 points of 8 minutes', async () => {
        const stats = await fixture.admin.ok<ClusterStats>(`/api/v1/clusters/${CLUSTER}/stats`);
        expect(stats.step).toBe(480);
        expect(stats.points).toHaveLength(180);
        expect(Date.parse(stats.to) - Date.parse(stats.from)).toBe(86_400_000);
      });

      it('answers 400 naming the field for a bad step, a reversed period or an unknown parameter', async () => {
        const bad = async (query: Record<string, string>) => {
          const response = await fixture.admin.get(`/api/v1/clusters/${CLUSTER}/stats`, query);
          expect(response.status).toBe(400);
          return issuePaths(response.body);
        };
        expect(await bad({ ...period, step: '10' })).toEqual(['step']);
        expect(await bad({ ...period, step: 'often' })).toEqual(['step']);
        expect(await bad({ from: at(0), to: at(86_400 * 30), step: '60' })).toEqual(['step']);
        expect(await bad({ from: at(900), to: at(0) })).toEqual(['from']);
        expect(await bad({ from: 'yesterday' })).toEqual(['from']);
        expect(await bad({ ...period, cluster: CLUSTER })).toEqual(['cluster']);
      });

      it('answers 404 for an unknown cluster or one the caller may not see', async () => {
        expect((await fixture.admin.get('/api/v1/clusters/nope/stats', period)).status).toBe(404);
        const limited = as(BOB_AUX.email);
        expect((await limited.get(`/api/v1/clusters/${CLUSTER}/stats`, period)).status).toBe(404);
      });
    });

    describe('/api/v1/users/me/settings', () => {
      const put = (api: ApiClient, body: unknown) =>
        fetch(api.url('/api/v1/users/me/settings'), {
          method: 'PUT',
          headers: { ...api.headers(), 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });

      const settingsUrl = (client: ApiClient) => client.url('/api/v1/users/me/settings');

      it('gives the defaults to a user who never chose (the language the browser asks for), and keeps what a user chooses', async () => {
        const alice = as(ALICE.email);
        expect(await alice.ok('/api/v1/users/me/settings')).toEqual({
          itemsPerPage: 50,
          dateFormat: 'local',
          theme: 'system',
          language: 'en',
        });
        const inFrench = await fetch(settingsUrl(alice), {
          headers: { ...alice.headers(), 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' },
        });
        expect(await inFrench.json()).toMatchObject({ language: 'fr' });
        const changed = await put(alice, { theme: 'dark', itemsPerPage: 100 });
        expect(changed.status).toBe(200);
        const settings = {
          itemsPerPage: 100,
          dateFormat: 'local',
          theme: 'dark',
          language: 'en',
        };
        expect(await changed.json()).toEqual(settings);
        expect(await alice.ok('/api/v1/users/me/settings')).toEqual(settings);
        expect(await as(BOB.email).ok('/api/v1/users/me/settings')).toMatchObject({
          theme: 'system',
          itemsPerPage: 50,
        });
        // Another gateway on the same store reads the same events.
        await until('the other gateway to see the settings', async () => {
          const other = await unbuilt
            .as(fixture.keys[ALICE.email])
            .get('/api/v1/users/me/settings');
          return JSON.stringify(other.body) === JSON.stringify(settings);
        });
      });

      it('keeps them as events in the user’s stream, naming who changed them', async () => {
        const alice = as(ALICE.email);
        expect((await put(alice, { language: 'fr' })).status).toBe(200);
        const userId = userIdOf(ALICE.email);
        const events = [];
        for await (const e of fixture.stack.store.readAll({ category: StreamCategory.User }))
          if (e.type === 'UserSettingsChanged' && e.stream === `user-${userId}`) events.push(e);
        expect(events.at(-1)?.data).toEqual({ userId, language: 'fr', changedBy: userId });
      });

      it('answers 400 naming each bad or unknown setting, and changes nothing', async () => {
        const bob = as(BOB.email);
        const response = await put(bob, {
          theme: 'blue',
          itemsPerPage: '25',
          language: null,
          colour: 'red',
        });
        expect(response.status).toBe(400);
        expect(issuePaths(await response.json()).sort()).toEqual([
          'colour',
          'itemsPerPage',
          'language',
          'theme',
        ]);
        expect(await bob.ok('/api/v1/users/me/settings')).toMatchObject({ theme: 'system' });
      });

      it('needs an API key', async () => {
        expect((await fixture.admin.as(undefined).get('/api/v1/users/me/settings')).status).toBe(
          401,
        );
      });
    });

    describe('the dashboard’s files', () => {
      const raw = (path: string, headers: Record<string, string> = {}) =>
        fetch(`${fixture.gateway.url}${path}`, { headers });

      it('answers index.html, revalidated, at / and at every page of the dashboard, without a key', async () => {
        for (const path of ['/', '/jobs', `/jobs/${CLUSTER}/1001`, '/nodes/e2e/n01', '/settings']) {
          const response = await raw(path, { accept: 'text/html' });
          expect(response.status).toBe(200);
          expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
          expect(response.headers.get('cache-control')).toBe('no-cache');
          expect(await response.text()).toBe(INDEX);
        }
      });

      it('sends assets compressed as the client accepts, cached for a year', async () => {
        for (const [accept, encoding] of [
          ['gzip, deflate, br', 'br'],
          ['gzip', 'gzip'],
          ['identity', null],
        ] as const) {
          const response = await raw('/assets/app-3f9a1c.js', { 'accept-encoding': accept });
          expect(response.status).toBe(200);
          expect(response.headers.get('content-encoding')).toBe(encoding);
          expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
          expect(response.headers.get('vary')).toBe('Accept-Encoding');
          expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
          const length = Number(response.headers.get('content-length'));
          if (encoding === null) expect(length).toBe(Buffer.byteLength(APP_JS));
          else expect(length).toBeLessThan(Buffer.byteLength(APP_JS) / 2);
          expect(await response.text()).toBe(APP_JS);
        }
      });

      it('answers 304 to a client that has the asset already', async () => {
        const first = await raw('/assets/app-3f9a1c.js', { 'accept-encoding': 'br' });
        const again = await raw('/assets/app-3f9a1c.js', {
          'accept-encoding': 'br',
          'if-none-match': first.headers.get('etag')!,
        });
        expect(again.status).toBe(304);
      });

      it('keeps unknown files, paths out of the assets and unknown API routes JSON 404s', async () => {
        for (const path of [
          '/assets/missing.js',
          '/assets/%2e%2e/secret.txt',
          '/assets/..%2fsecret.txt',
          '/secret.txt',
          '/api/v1/nope',
        ]) {
          const response = await raw(path, { authorization: `Bearer ${fixture.admin.key}` });
          expect(response.status).toBe(404);
          expect(response.headers.get('content-type')).toMatch(/^application\/json/);
          expect(await response.json()).toMatchObject({ statusCode: 404 });
        }
        // No key: an unknown route is still a 404, and JSON.
        expect((await raw('/api/v1/nope')).headers.get('content-type')).toMatch(
          /^application\/json/,
        );
      });

      it('leaves /healthz, /readyz and /api/docs as they were', async () => {
        for (const path of ['/healthz', '/readyz', '/api/docs', '/api/docs/json']) {
          expect((await raw(path)).status).toBe(200);
        }
      });

      it('says how to build the dashboard when it is not built, to a browser and to a program', async () => {
        const page = await fetch(unbuilt.url('/jobs'), { headers: { accept: 'text/html' } });
        expect(page.status).toBe(503);
        expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(await page.text()).toMatch(/dashboard is not built.*npm run build/s);
        const json = await fetch(unbuilt.url('/'), { headers: { accept: 'application/json' } });
        expect(json.status).toBe(503);
        expect(await json.json()).toMatchObject({
          statusCode: 503,
          message: expect.stringMatching(/not built/),
        });
      });
    });

    it('streams changes to fetch() with a Bearer header, uncompressed, each event at once', async () => {
      const api = fixture.admin;
      const connection = await SseConnection.open(api.url('/api/v1/events', { lastEventId: '0' }), {
        ...api.headers(),
        'accept-encoding': 'gzip, deflate, br',
      });
      try {
        expect(connection.status).toBe(200);
        expect(connection.headers.get('content-encoding')).toBeNull();
        expect(connection.headers.get('cache-control')).toBe('no-cache, no-transform');
        await until('the stream ready', () => connection.events.some((e) => e.event === 'ready'));
        await until(
          'the history replayed',
          () => connection.events.filter((e) => e.event === 'JobSubmitted').length > 5,
        );
      } finally {
        await connection.close();
      }
    });
  },
);
