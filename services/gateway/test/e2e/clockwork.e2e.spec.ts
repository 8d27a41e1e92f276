import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { labComponent } from '@clocktower/testing';
import { ADMIN, ALICE, BOB, BOB_AUX } from './support/accounts.js';
import {
  basicAuth,
  ClockworkClient,
  expectClockworkError,
  jobIds as ids,
  type JobDoc,
  type NodeDoc,
} from './support/clockwork-client.js';
import { startFixture, type E2eFixture } from './support/e2e-fixture.js';
import { AUX, BASE, CLUSTER } from './support/known-history.js';

/**
 * The Clockwork-compatible API over HTTP, job-projection and the gateway as separate processes
 * over NATS: Basic authentication with email and API key, and Clockwork's parameters, documents,
 * status codes and error strings for jobs and nodes. Users' job props: clockwork-user-props.e2e.
 */

const nats = await labComponent('nats');

const seconds = (offset: number) => BASE / 1000 + offset;

(nats.available ? describe : describe.skip)(
  'the Clockwork API for jobs and nodes, the services as separate processes over NATS',
  () => {
    let fixture: E2eFixture;
    const client = (user: { email: string }) =>
      ClockworkClient.as(fixture.gateway.url, user.email, fixture.keys[user.email]!);

    beforeAll(async () => {
      fixture = await startFixture(nats.available ? nats.value : '');
    });

    afterAll(async () => {
      await fixture?.stack.stop();
    });

    describe('authentication', () => {
      it('answers 401 "Authorization error." to a missing, foreign or wrong credential, on every route', async () => {
        const url = fixture.gateway.url;
        const aliceKey = fixture.keys[ALICE.email]!;
        const refused = [
          new ClockworkClient(url, undefined),
          new ClockworkClient(url, `Bearer ${aliceKey}`),
          new ClockworkClient(url, basicAuth(ALICE.email, fixture.keys[BOB.email]!)),
          new ClockworkClient(url, basicAuth(ALICE.email, `${aliceKey.slice(0, -4)}AAAA`)),
          new ClockworkClient(url, basicAuth(ALICE.email, 'not-a-key')),
          new ClockworkClient(url, basicAuth('nobody@e2e.test', aliceKey)),
          new ClockworkClient(url, 'Basic !!!'),
        ];
        for (const api of refused) {
          for (const endpoint of [
            'jobs/list',
            'jobs/one',
            'nodes/list',
            'nodes/one',
            'jobs/user_props/get',
          ]) {
            expectClockworkError(await api.get(endpoint), 401, 'Authorization error.');
          }
          expectClockworkError(
            await api.putJson('jobs/user_props/set', {}),
            401,
            'Authorization error.',
          );
        }
      });

      it('accepts the email in any case with its own key', async () => {
        const api = ClockworkClient.as(
          fixture.gateway.url,
          'ALICE@E2E.test',
          fixture.keys[ALICE.email]!,
        );
        expect((await api.get('jobs/list')).status).toBe(200);
      });
    });

    describe('jobs/list', () => {
      it("lists the caller's visible jobs as Clockwork documents", async () => {
        const response = await client(ALICE).get<JobDoc[]>('jobs/list');
        expect(response.status).toBe(200);
        expect(response.contentType).toMatch(/^application\/json/);
        expect(ids(response.body)).toEqual(['1001', '1003', '1005', '7001']);
        const done = response.body.find((j) => j.slurm.job_id === '1001')!;
        expect(done).toMatchObject({
          slurm: {
            cluster_name: CLUSTER,
            username: 'alice',
            name: 'align-sample',
            account: 'genomics',
            partition: 'batch',
            job_state: 'COMPLETED',
            exit_code: 'SUCCESS:0',
            submit_time: seconds(0),
            start_time: seconds(150),
            end_time: seconds(450),
            nodes: 'n01',
            array_job_id: '0',
          },
          cw: { mila_email_username: ALICE.email },
          job_user_props: {},
        });
        const timedOut = response.body.find((j) => j.slurm.job_id === '1005')!;
        expect(timedOut.slurm['exit_code']).toBe('SIGNALED:15');
      });

      it('filters by cluster_name, job_state, aggregated_job_state, job_id and job_array', async () => {
        const alice = client(ALICE);
        const admin = client(ADMIN);
        expect(ids((await alice.get<JobDoc[]>('jobs/list', { cluster_name: AUX })).body)).toEqual([
          '7001',
        ]);
        expect(
          ids(
            (await alice.get<JobDoc[]>('jobs/list', { cluster_name: `${AUX}, ${CLUSTER}` })).body,
          ),
        ).toHaveLength(4);
        expect(
          ids((await alice.get<JobDoc[]>('jobs/list', { job_state: 'RUNNING' })).body),
        ).toEqual(['1003', '7001']);
        expect(
          ids((await alice.get<JobDoc[]>('jobs/list', { aggregated_job_state: 'FAILED' })).body),
        ).toEqual(['1005']);
        expect(ids((await admin.get<JobDoc[]>('jobs/list', { job_id: '1002,7003' })).body)).toEqual(
          ['1002', '7003'],
        );
        expect(ids((await admin.get<JobDoc[]>('jobs/list', { job_array: '2000' })).body)).toEqual([
          '2001',
          '2002',
          '2003',
        ]);
      });

      it('filters by username: an email (Clockwork) or a Slurm login; an unknown email matches nothing', async () => {
        const admin = client(ADMIN);
        const bobs = ['1002', '1004', '1006', '7002'];
        expect(ids((await admin.get<JobDoc[]>('jobs/list', { username: BOB.email })).body)).toEqual(
          bobs,
        );
        expect(ids((await admin.get<JobDoc[]>('jobs/list', { username: 'bob' })).body)).toEqual(
          bobs,
        );
        expect(
          (await admin.get<JobDoc[]>('jobs/list', { username: 'nobody@e2e.test' })).body,
        ).toEqual([]);
        // A user sees only their own jobs, whoever they name.
        expect(
          (await client(ALICE).get<JobDoc[]>('jobs/list', { username: BOB.email })).body,
        ).toEqual([]);
      });

      it('keeps a user limited to some clusters to those, dropping the others they ask for', async () => {
        const limited = client(BOB_AUX);
        expect(ids((await limited.get<JobDoc[]>('jobs/list')).body)).toEqual(['7002']);
        expect((await limited.get<JobDoc[]>('jobs/list', { cluster_name: CLUSTER })).body).toEqual(
          [],
        );
      });

      it('pages with page_num and nbr_items_per_page, sorted by sort_by, with the total when want_count', async () => {
        type Counted = { nbr_total_jobs: number; jobs: JobDoc[] };
        const query = {
          want_count: 'true',
          nbr_items_per_page: '3',
          sort_by: 'job_id',
          sort_asc: '1',
        };
        const first = await client(ALICE).get<Counted>('jobs/list', { ...query, page_num: '1' });
        const second = await client(ALICE).get<Counted>('jobs/list', { ...query, page_num: '2' });
        expect(first.body.nbr_total_jobs).toBe(4);
        expect(first.body.jobs.map((j) => j.slurm.job_id)).toEqual(['1001', '1003', '1005']);
        expect(second.body).toMatchObject({ nbr_total_jobs: 4 });
        expect(second.body.jobs.map((j) => j.slurm.job_id)).toEqual(['7001']);
        const unpaged = await client(ALICE).get<Counted>('jobs/list', { want_count: '1' });
        expect(unpaged.body.nbr_total_jobs).toBe(4);
        expect(unpaged.body.jobs).toHaveLength(4);
      });

      it('keeps with relative_time the jobs not ended, or ended within that many seconds', async () => {
        const recent = await client(ALICE).get<JobDoc[]>('jobs/list', { relative_time: '3600' });
        expect(ids(recent.body)).toEqual(['1003', '7001']);
      });

      it('refuses bad parameters with 400 and a message naming them', async () => {
        const alice = client(ALICE);
        expectClockworkError(
          await alice.get('jobs/list', { relative_time: 'yesterday' }),
          400,
          "Field 'relative_time' cannot be cast as a valid float: yesterday.",
        );
        expectClockworkError(
          await alice.get('jobs/list', { aggregated_job_state: 'DONE' }),
          400,
          /aggregated_job_state DONE/,
        );
        expectClockworkError(
          await alice.get('jobs/list', { job_state: 'nope' }),
          400,
          /job_state nope/,
        );
        expectClockworkError(await alice.get('jobs/list', { sort_by: 'color' }), 400, /'sort_by'/);
      });
    });

    describe('jobs/one', () => {
      it('answers the job, {} for a job that is unknown or not visible, 400 without job_id', async () => {
        const alice = client(ALICE);
        const running = await alice.get<JobDoc>('jobs/one', { job_id: '1003' });
        expect(running.status).toBe(200);
        expect(running.body.slurm).toMatchObject({
          job_id: '1003',
          job_state: 'RUNNING',
          cluster_name: CLUSTER,
        });
        expect(
          (await alice.get('jobs/one', { job_id: '7001', cluster_name: CLUSTER })).body,
        ).toEqual({});
        expect(
          (await alice.get('jobs/one', { job_id: '7001', cluster_name: AUX })).body,
        ).toMatchObject({
          slurm: { job_id: '7001' },
        });
        const unknown = await alice.get('jobs/one', { job_id: '999999' });
        expect([unknown.status, unknown.body]).toEqual([200, {}]);
        expect((await alice.get('jobs/one', { job_id: '1002' })).body).toEqual({});
        expect(
          (await client(ADMIN).get<JobDoc>('jobs/one', { job_id: '1002' })).body.cw,
        ).toMatchObject({
          mila_email_username: BOB.email,
        });
        expectClockworkError(await alice.get('jobs/one'), 400, 'Missing argument job_id.');
      });
    });

    describe('nodes', () => {
      it('lists the nodes the caller may see, of one cluster with cluster_name', async () => {
        const all = await client(ADMIN).get<NodeDoc[]>('nodes/list');
        expect(all.body.map((n) => n.slurm.name).sort()).toEqual(['a01', 'n01', 'n02', 'n03']);
        const gpu = all.body.find((n) => n.slurm.name === 'n03')!;
        expect(gpu).toMatchObject({
          slurm: { cluster_name: CLUSTER, gres: 'gpu:a100:2', cpus: 16 },
          cw: { gpu: { name: 'a100', number: 2 } },
        });
        const drained = all.body.find((n) => n.slurm.name === 'n02')!;
        expect(drained.slurm['state_flags']).toContain('DRAIN');
        expect(
          (await client(ADMIN).get<NodeDoc[]>('nodes/list', { cluster_name: AUX })).body.map(
            (n) => n.slurm.name,
          ),
        ).toEqual(['a01']);
        expect(
          (await client(BOB_AUX).get<NodeDoc[]>('nodes/list')).body.map((n) => n.slurm.name),
        ).toEqual(['a01']);
      });

      it('answers one node by node_name, {} when none, 400 without node_name', async () => {
        const admin = client(ADMIN);
        expect((await admin.get<NodeDoc>('nodes/one', { node_name: 'n03' })).body.slurm.name).toBe(
          'n03',
        );
        expect(
          (await admin.get('nodes/one', { node_name: 'n03', cluster_name: AUX })).body,
        ).toEqual({});
        expect((await admin.get('nodes/one', { node_name: 'zz99' })).body).toEqual({});
        expect((await client(BOB_AUX).get('nodes/one', { node_name: 'n01' })).body).toEqual({});
        expectClockworkError(await admin.get('nodes/one'), 400, 'Missing argument node_name.');
      });
    });
  },
);
