import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ClusterView, JobView, Page } from '@clocktower/contracts';
import { labComponent, until } from '@clocktower/testing';
import { UserAccounts } from '../../src/auth/user-accounts.js';
import { UserDirectory } from '../../src/auth/user-directory.js';
import { keyIdOf } from '../../src/auth/api-key.js';
import { userIdOf } from '../../src/domain/user-identity.js';
import { ALICE, BOB_AUX } from './support/accounts.js';
import { allJobs, ApiClient } from './support/api-client.js';
import { startFixture, type E2eFixture } from './support/e2e-fixture.js';
import { foldJobs, readEvents, type ExpectedJob } from './support/expected-views.js';
import { AUX, CLUSTER } from './support/known-history.js';

/**
 * Who sees what, through the gateway's API keys: a user sees their own Slurm user's jobs (another
 * user's job is a 404, as if it did not exist), unless the site sets CLOCKTOWER_ALL_JOBS_VISIBLE
 * (a second gateway on the same store and bus); a user limited to some clusters sees only those;
 * admin routes refuse users; no key, no API. Last, the projection stops: the gateway says so at
 * once (503 with Retry-After) instead of hanging.
 */

const nats = await labComponent('nats');

(nats.available ? describe : describe.skip)(
  'access rules over HTTP, the services as separate processes over NATS',
  () => {
    let fixture: E2eFixture;
    let everyone: ApiClient;
    let expected: ExpectedJob[];
    const key = (email: string): string => fixture.keys[email]!;
    const as = (email: string): ApiClient => fixture.admin.as(key(email));
    const streamsOf = (jobs: readonly { stream: string }[]) => jobs.map((j) => j.stream).sort();
    const expectedWhere = (keep: (j: ExpectedJob) => boolean) => streamsOf(expected.filter(keep));

    beforeAll(async () => {
      fixture = await startFixture(nats.available ? nats.value : '');
      const open = await fixture.stack.start('gateway', { CLOCKTOWER_ALL_JOBS_VISIBLE: 'true' });
      everyone = new ApiClient(open.url, undefined);
      expected = foldJobs(await readEvents(fixture.stack.store));
    });

    afterAll(async () => {
      await fixture?.stack.stop();
    });

    it("lists a user's own jobs only, on every cluster, with the total of those", async () => {
      const { items, totals } = await allJobs(as(ALICE.email), {});
      const own = expectedWhere((j) => j.record.user === 'alice');
      expect(streamsOf(items)).toEqual(own);
      expect(totals[0]).toBe(own.length);
      const asking = await as(ALICE.email).ok<Page<JobView>>('/api/v1/jobs', { user: 'bob' });
      expect(asking).toMatchObject({ items: [], total: 0 });
    });

    it("answers 404 for another user's job, its history and its pending time, and 200 for one's own", async () => {
      const alice = as(ALICE.email);
      for (const path of ['', '/history', '/pending-time']) {
        expect((await alice.get(`/api/v1/jobs/${CLUSTER}/1002${path}`)).status).toBe(404);
        expect((await alice.get(`/api/v1/jobs/${CLUSTER}/1001${path}`)).status).toBe(200);
      }
    });

    it('shows every job to every user where the site makes all jobs visible', async () => {
      const alice = everyone.as(key(ALICE.email));
      const { items } = await allJobs(alice, {}, 50);
      expect(streamsOf(items)).toEqual(expectedWhere(() => true));
      expect((await alice.get(`/api/v1/jobs/${CLUSTER}/1002/history`)).status).toBe(200);
    });

    it('keeps a user limited to some clusters to those, whatever the visibility setting', async () => {
      const limited = as(BOB_AUX.email);
      const { items } = await allJobs(limited, {});
      expect(streamsOf(items)).toEqual(
        expectedWhere((j) => j.record.cluster === AUX && j.record.user === 'bob'),
      );
      expect((await limited.get(`/api/v1/jobs/${CLUSTER}/1002`)).status).toBe(404);
      expect((await limited.get(`/api/v1/clusters/${CLUSTER}`)).status).toBe(404);
      const clusters = await limited.ok<{ items: ClusterView[] }>('/api/v1/clusters');
      expect(clusters.items.map((c) => c.cluster)).toEqual([AUX]);

      const open = everyone.as(key(BOB_AUX.email));
      const all = await allJobs(open, {});
      expect(streamsOf(all.items)).toEqual(expectedWhere((j) => j.record.cluster === AUX));
    });

    it('refuses admin routes to a user with 403', async () => {
      const alice = as(ALICE.email);
      expect((await alice.get('/api/v1/admin/projections')).status).toBe(403);
      expect((await alice.post('/api/v1/admin/projections/jobs/rebuild')).status).toBe(403);
      expect((await alice.get('/api/v1/admin/users')).status).toBe(403);
      expect((await fixture.admin.get('/api/v1/admin/projections')).status).toBe(200);
    });

    it('answers 401 in JSON without a key, with a malformed or unknown one, and once a key is revoked', async () => {
      const anonymous = fixture.admin.as(undefined);
      const unknownKey = `ct_AAAAAAAAAAAA_${'A'.repeat(43)}`;
      for (const client of [anonymous, anonymous.as('not-a-key'), anonymous.as(unknownKey)]) {
        const response = await client.get('/api/v1/jobs');
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/json/);
      }
      const store = fixture.stack.store;
      const accounts = new UserAccounts(store, await UserDirectory.load(store));
      const revoked = key(BOB_AUX.email);
      await accounts.revokeApiKey(userIdOf(BOB_AUX.email), keyIdOf(revoked)!, {
        by: 'cli:e2e',
        correlationId: 'e2e-revoke',
      });
      await until(
        'the revoked key refused',
        async () => (await fixture.admin.as(revoked).get('/api/v1/jobs')).status === 401,
        10_000,
        20,
      );
    });

    describe('with job-projection stopped', () => {
      beforeAll(async () => {
        await fixture.projection.run.stop();
      });

      it('answers 503 with a reason and Retry-After, without hanging', async () => {
        for (const path of ['/api/v1/jobs', `/api/v1/jobs/${CLUSTER}/1001/history`]) {
          const response = await fetch(fixture.admin.url(path), {
            headers: fixture.admin.headers(),
            // Far beyond the gateway's own wait for the projection: a hang shows as a failure.
            signal: AbortSignal.timeout(20_000),
          });
          expect(response.status).toBe(503);
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(((await response.json()) as { message: string }).message).toMatch(
            /job-projection/,
          );
        }
      });

      it('stays alive and reports job-projection not ready in the system health', async () => {
        expect((await fetch(`${fixture.gateway.url}/healthz`)).status).toBe(200);
        const health = await fetch(`${fixture.gateway.url}/api/v1/system/health`);
        const body = (await health.json()) as { services: { service: string; ready: boolean }[] };
        expect(body.services.find((s) => s.service === 'job-projection')?.ready).toBe(false);
      });
    });
  },
);
