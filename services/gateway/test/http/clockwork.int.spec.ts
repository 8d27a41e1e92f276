import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetJob, ListJobs, MAX_JOB_USER_PROPS_LENGTH, type JobView } from '@clocktower/contracts';
import { HttpGateway } from './support/http-gateway.js';

/**
 * The Clockwork routes' HTTP layer in front of a stand-in projection: what they ask it (the
 * caller's scope added), how they answer when it does not answer, and the size of body they take.
 * Every route against the real projection: test/e2e/clockwork.e2e.spec.ts.
 */

const basic = (email: string, key: string) =>
  `Basic ${Buffer.from(`${email}:${key}`).toString('base64')}`;

const job = { cluster: 'c1', jobId: '7', user: 'alice' } as unknown as JobView;

describe('the Clockwork routes over HTTP, job-projection a stand-in', () => {
  let gateway: HttpGateway;
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${gateway.url}/api/v1/clusters/${path}`, {
      ...init,
      headers: {
        authorization: basic('alice@test', gateway.keys.alice),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: JSON.parse(text) as unknown,
    };
  };
  const putJson = (path: string, body: string) =>
    call(path, { method: 'PUT', body, headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    gateway = await HttpGateway.start();
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it("asks for the caller's own jobs within the clusters asked for", async () => {
    gateway.projection.clear();
    gateway.projection.answer(ListJobs, { items: [], total: 0, nextCursor: null });
    const response = await call('jobs/list?cluster_name=c1,c2&job_state=RUNNING');
    expect([response.status, response.body]).toEqual([200, []]);
    expect(gateway.projection.last(ListJobs)).toMatchObject({
      onlyUser: 'alice',
      onlyClusters: ['c1', 'c2'],
      state: ['RUNNING'],
      limit: 1000,
    });
  });

  it('takes a body of more than 100 kB, answers props past 2 MiB with 400, a body past 3 MB with 413', async () => {
    gateway.projection.clear();
    gateway.projection.answer(GetJob, job);
    const body = (size: number) =>
      JSON.stringify({ job_id: '7', cluster_name: 'c1', updates: { big: 'x'.repeat(size) } });
    const tooLarge = await putJson('jobs/user_props/set', body(MAX_JOB_USER_PROPS_LENGTH));
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body).toMatch(/^Too huge job-user props: maximum 2\.0 Mbytes/);
    expect((await putJson('jobs/user_props/set', body(3.5 * 1024 * 1024))).status).toBe(413);
  });

  it('answers 503 as a JSON string with Retry-After when job-projection does not answer', async () => {
    gateway.projection.stop();
    const response = await call('jobs/one?job_id=7');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.body).toMatch(/^job-projection is not answering: /);
    gateway.projection.start();
  });
});
