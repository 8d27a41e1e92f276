import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jobUserPropsStream, MAX_JOB_USER_PROPS_LENGTH } from '@clocktower/contracts';
import { labComponent } from '@clocktower/testing';
import { userIdOf } from '../../src/domain/user-identity.js';
import { ADMIN, ALICE, BOB } from './support/accounts.js';
import { type ApiClient, issuePaths } from './support/api-client.js';
import {
  ClockworkClient,
  expectClockworkError,
  jobIds as ids,
  type JobDoc,
  type NodeDoc,
} from './support/clockwork-client.js';
import { startFixture, type E2eFixture } from './support/e2e-fixture.js';
import { CLUSTER } from './support/known-history.js';

/**
 * Users' job props through the Clockwork API (user_props get/set/delete, user_dict_update) and the
 * REST route of the dashboard, job-projection and the gateway as separate processes over NATS:
 * kept as events, read back through the projection; then the calls of Mila's clockwork_tools
 * client, made with Python requests exactly as the client makes them.
 */

const nats = await labComponent('nats');
const run = promisify(execFile);
const CLIENT_CALLS = join(import.meta.dirname, 'clockwork-tools', 'clockwork_tools_calls.py');

/** Python 3 with `requests` (what clockwork_tools is built on), or why the client test is skipped. */
async function pythonWithRequests(): Promise<string | undefined> {
  try {
    await run('python3', ['-c', 'import requests']);
    return undefined;
  } catch (error) {
    return `python3 with the requests package is not available (${String(error).split('\n')[0]})`;
  }
}
const noPython = await pythonWithRequests();

(nats.available ? describe : describe.skip)(
  "users' job props over the Clockwork and REST APIs, the services as separate processes over NATS",
  () => {
    let fixture: E2eFixture;
    const client = (user: { email: string }) =>
      ClockworkClient.as(fixture.gateway.url, user.email, fixture.keys[user.email]!);
    const rest = (user: { email: string }) => fixture.admin.as(fixture.keys[user.email]);

    beforeAll(async () => {
      fixture = await startFixture(nats.available ? nats.value : '');
    });

    afterAll(async () => {
      await fixture?.stack.stop();
    });

    describe('job-user props', () => {
      const at = (jobId: string, more: object = {}) => ({
        job_id: jobId,
        cluster_name: CLUSTER,
        ...more,
      });

      it('merges sets, answers them on get, in jobs/one and jobs/list, and deletes keys, as events', async () => {
        const alice = client(ALICE);
        const first = await alice.putJson(
          'jobs/user_props/set',
          at('1001', { updates: { tracker: 'https://wandb.ai/a/1', epochs: 3 } }),
        );
        expect([first.status, first.body]).toEqual([
          200,
          { tracker: 'https://wandb.ai/a/1', epochs: 3 },
        ]);
        const second = await alice.putJson('jobs/user_props/set', {
          ...at('1001'),
          job_id: 1001,
          updates: { epochs: 4, note: 'x' },
        });
        const merged = { tracker: 'https://wandb.ai/a/1', epochs: 4, note: 'x' };
        expect(second.body).toEqual(merged);
        expect((await alice.get('jobs/user_props/get', at('1001'))).body).toEqual(merged);
        expect(
          (await alice.get<JobDoc>('jobs/one', { job_id: '1001' })).body.job_user_props,
        ).toEqual(merged);
        const listed = (await alice.get<JobDoc[]>('jobs/list')).body.find(
          (j) => j.slurm.job_id === '1001',
        );
        expect(listed?.job_user_props).toEqual(merged);
        // Props are the caller's own: an admin seeing the job does not see them.
        expect((await client(ADMIN).get('jobs/user_props/get', at('1001'))).body).toEqual({});

        const deleted = await alice.putJson('jobs/user_props/delete', at('1001', { keys: 'note' }));
        expect([deleted.status, deleted.body]).toEqual([200, '']);
        await alice.putJson('jobs/user_props/delete', at('1001', { keys: ['epochs', 'absent'] }));
        expect((await alice.get('jobs/user_props/get', at('1001'))).body).toEqual({
          tracker: 'https://wandb.ai/a/1',
        });

        const stream = jobUserPropsStream(CLUSTER, '1001', userIdOf(ALICE.email));
        const events = [];
        for await (const event of fixture.stack.store.readStream(stream)) events.push(event);
        expect(events.map((e) => [e.type, e.data['updates'] ?? e.data['keys']])).toEqual([
          ['JobUserPropsSet', { tracker: 'https://wandb.ai/a/1', epochs: 3 }],
          ['JobUserPropsSet', { epochs: 4, note: 'x' }],
          ['JobUserPropsDeleted', ['note']],
          ['JobUserPropsDeleted', ['epochs']],
        ]);
      });

      it('refuses props that are not an object, too large, or not sent as JSON', async () => {
        const alice = client(ALICE);
        expectClockworkError(
          await alice.putJson('jobs/user_props/set', at('1005', { updates: [1] })),
          400,
          "Expected `updates` to be a dict, but instead it is of type <class 'list'>: [1].",
        );
        expectClockworkError(
          await alice.putJson('jobs/user_props/set', at('1005')),
          400,
          "Missing argument 'updates'.",
        );
        const huge = { big: 'x'.repeat(MAX_JOB_USER_PROPS_LENGTH) };
        expectClockworkError(
          await alice.putJson('jobs/user_props/set', at('1005', { updates: huge })),
          400,
          'Too huge job-user props: maximum 2.0 Mbytes (previous: 1.9073486328125e-06 Mbytes, updates: 2.0000104904174805 Mbytes)',
        );
        expect((await alice.get('jobs/user_props/get', at('1005'))).body).toEqual({});
        expectClockworkError(
          await alice.putRaw(
            'jobs/user_props/set',
            new URLSearchParams(at('1005')).toString(),
            'application/x-www-form-urlencoded',
          ),
          400,
          'Expected a JSON request',
        );
        expectClockworkError(
          await alice.putJson('jobs/user_props/delete', at('1005')),
          400,
          "Missing argument 'keys'.",
        );
        expectClockworkError(
          await alice.putJson('jobs/user_props/set', { job_id: '1005', updates: {} }),
          400,
          'Missing argument cluster_name.',
        );
        expectClockworkError(
          await alice.get('jobs/user_props/get', { cluster_name: CLUSTER }),
          400,
          'Missing argument job_id.',
        );
      });

      it('writes props only on a job the caller may see', async () => {
        expectClockworkError(
          await client(ALICE).putJson('jobs/user_props/set', at('1002', { updates: { a: 1 } })),
          404,
          'Job not found in database.',
        );
      });

      it("updates through user_dict_update (form fields) for the job's owner only", async () => {
        const alice = client(ALICE);
        const updated = await alice.putForm('jobs/user_dict_update', {
          job_id: '1003',
          cluster_name: CLUSTER,
          update_pairs: JSON.stringify({ run: 'r-17' }),
        });
        expect([updated.status, updated.body]).toEqual([200, { run: 'r-17' }]);
        expectClockworkError(
          await client(ADMIN).putForm('jobs/user_dict_update', {
            job_id: '1002',
            update_pairs: '{}',
          }),
          403,
          `This job belongs to ${BOB.email} and not ${ADMIN.email}.`,
        );
        expectClockworkError(
          await alice.putForm('jobs/user_dict_update', { job_id: '999999', update_pairs: '{}' }),
          404,
          'Job not found in database.',
        );
        expectClockworkError(
          await alice.putForm('jobs/user_dict_update', { job_id: '1003', update_pairs: '{' }),
          400,
          /^Failed to json\.loads\(update_pairs\)/,
        );
      });

      it('serves the same props on the REST API for the dashboard: GET, PUT (merge), DELETE', async () => {
        const alice: ApiClient = rest(ALICE);
        const path = `/api/v1/jobs/${CLUSTER}/1003/user-props`;
        expect(await alice.ok(path)).toEqual({
          cluster: CLUSTER,
          jobId: '1003',
          props: { run: 'r-17' },
        });
        const put = async (body: unknown) => {
          const response = await fetch(alice.url(path), {
            method: 'PUT',
            headers: { ...alice.headers(), 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          return {
            status: response.status,
            body: (await response.json()) as Record<string, unknown>,
          };
        };
        expect(await put({ tags: ['a', 'b'] })).toEqual({
          status: 200,
          body: { cluster: CLUSTER, jobId: '1003', props: { run: 'r-17', tags: ['a', 'b'] } },
        });
        expect((await client(ALICE).get('jobs/user_props/get', at('1003'))).body).toEqual({
          run: 'r-17',
          tags: ['a', 'b'],
        });
        const notObject = await put([1, 2]);
        expect([notObject.status, issuePaths(notObject.body)]).toEqual([400, ['body']]);
        const tooLarge = await put({ big: 'y'.repeat(MAX_JOB_USER_PROPS_LENGTH) });
        expect(tooLarge.status).toBe(400);
        expect(String(tooLarge.body['message'])).toMatch(/Too huge job-user props/);

        const remove = async (query: string) => {
          const response = await fetch(`${alice.url(path)}${query}`, {
            method: 'DELETE',
            headers: alice.headers(),
          });
          return (await response.json()) as { props: Record<string, unknown> };
        };
        expect((await remove('?key=run')).props).toEqual({ tags: ['a', 'b'] });
        expect((await remove('')).props).toEqual({});
        expect((await alice.get(`/api/v1/jobs/${CLUSTER}/1002/user-props`)).status).toBe(404);
      });
    });

    (noPython === undefined ? describe : describe.skip)(
      "clockwork_tools' calls, made with Python requests as the client makes them",
      () => {
        let results: Record<string, unknown>;
        const error = (name: string) => (results[name] as { error?: string }).error;

        beforeAll(async () => {
          const { port } = new URL(fixture.gateway.url);
          const env: Record<string, string | undefined> = {
            ...process.env,
            CLOCKWORK_EMAIL: ALICE.email,
            CLOCKWORK_API_KEY: fixture.keys[ALICE.email],
          };
          // Inside a Slurm job the client would first look its own node up: not here.
          delete env['SLURM_JOBID'];
          const { stdout } = await run('python3', [CLIENT_CALLS, '127.0.0.1', port, CLUSTER], {
            env,
            maxBuffer: 16 * 1024 * 1024,
          });
          results = JSON.parse(stdout) as Record<string, unknown>;
        });

        it('lists and finds jobs with the parameters the client sends', () => {
          expect(ids(results['jobs_list'] as JobDoc[])).toEqual(['1001', '1003', '1005', '7001']);
          expect(ids(results['jobs_list_cluster'] as JobDoc[])).toEqual(['1001', '1003', '1005']);
          expect(ids(results['jobs_list_recent'] as JobDoc[])).toEqual(['1003', '7001']);
          expect((results['jobs_one'] as JobDoc).slurm.job_id).toBe('1003');
          expect(results['jobs_one_unknown']).toEqual({});
        });

        it('sets, reads and deletes user props; the client raises on a refusal with the message', () => {
          expect(results['set_user_props']).toEqual({ wandb: 'https://wandb.ai/x/1', n: 1 });
          expect(results['set_user_props_again']).toEqual({ wandb: 'https://wandb.ai/x/1', n: 2 });
          expect(results['get_user_props']).toEqual({ wandb: 'https://wandb.ai/x/1', n: 2 });
          expect(results['delete_user_props']).toBe('');
          expect(results['get_after_delete']).toEqual({ wandb: 'https://wandb.ai/x/1' });
          expect(error('set_not_a_dict')).toMatch(
            /^Server rejected call with code 400\. Expected `updates` to be a dict/,
          );
          expect(error('set_on_foreign_job')).toBe(
            'Server rejected call with code 404. Job not found in database.',
          );
          expect(results['jobs_user_dict_update']).toMatchObject({ checkpoint: '/ckpt/7' });
        });

        it('lists and finds nodes', () => {
          const nodes = results['nodes_list'] as NodeDoc[];
          expect(nodes.map((n) => n.slurm.name).sort()).toEqual(['n01', 'n02', 'n03']);
          expect((results['nodes_one'] as NodeDoc).slurm.name).toBe('n03');
        });
      },
    );
    if (noPython !== undefined) {
      it.skip(`clockwork_tools' calls: skipped, ${noPython}`, () => undefined);
    }
  },
);
