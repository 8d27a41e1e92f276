import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  GetCluster,
  GetClusterAsOf,
  GetClusterChanges,
  GetJob,
  GetJobHistory,
  GetJobPendingTime,
  GetNode,
  ListClusters,
  ListClusterUsers,
  ListJobs,
  ListNodes,
  ListProjections,
  RebuildProjection,
  type ProjectionStatus,
} from '@clocktower/contracts';
import { HandlerError } from './support/fake-projection.js';
import { HttpGateway } from './support/http-gateway.js';

/**
 * The REST API's HTTP layer: parameters validated and mapped to the projection's queries, replies
 * and errors shaped for HTTP. job-projection is a stand-in here (FakeProjection); the real one is
 * in the e2e tests.
 */

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  issues?: { path: string; problems: string[] }[];
}

const pathsOf = (body: unknown): string[] =>
  ((body as ErrorBody).issues ?? []).map((i) => i.path).sort();

const emptyPage = { items: [], total: 0, nextCursor: null };

const status = (name: string): ProjectionStatus => ({
  name,
  status: 'live',
  position: '10',
  headPosition: '10',
  lag: '0',
  parked: 0,
  rebuild: null,
  pageCache: { maxBytes: 16_777_216, bytes: 0, pages: 0, hits: 0, misses: 0 },
});

describe('the REST API over HTTP', () => {
  let gateway: HttpGateway;

  beforeAll(async () => {
    gateway = await HttpGateway.start();
  });

  afterAll(async () => {
    await gateway?.close();
  });

  beforeEach(() => {
    gateway.projection.clear();
    gateway.projection.answer(ListJobs, emptyPage).answer(ListNodes, emptyPage);
  });

  it('keeps idle keep-alive connections longer than clients and proxies keep theirs (65 s)', async () => {
    const { request } = await import('node:http');
    const keepAlive = await new Promise<string | undefined>((resolve, reject) => {
      const req = request(
        `${gateway.url}/healthz`,
        { headers: { connection: 'keep-alive' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers['keep-alive'] as string | undefined));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(keepAlive).toBe('timeout=65');
  });

  describe('GET /api/v1/jobs', () => {
    it('maps every filter to the ListJobs query: lists split, states in capitals, name as nameContains, times in UTC', async () => {
      const response = await gateway.get(
        '/api/v1/jobs?cluster=c1&user=bob&account=physics&partition=gpu' +
          '&state=pending,completed&state=FAILED&node=n01&name=Align&jobIds=1,2&jobIds=3' +
          '&arrayJobId=2000&submittedFrom=2026-01-01&submittedTo=2026-01-31T12:00:00%2B02:00' +
          '&startedFrom=2026-01-02T08:00&endedTo=2026-02-01T00:00:00.000Z' +
          '&sort=submitTime&order=desc&limit=20&page=3',
      );
      expect(response.status).toBe(200);
      expect(gateway.projection.last(ListJobs)).toEqual({
        cluster: 'c1',
        user: 'bob',
        account: 'physics',
        partition: 'gpu',
        state: ['pending', 'COMPLETED', 'FAILED'],
        node: 'n01',
        nameContains: 'Align',
        jobIds: ['1', '2', '3'],
        arrayJobId: '2000',
        submittedFrom: '2026-01-01T00:00:00.000Z',
        submittedTo: '2026-01-31T10:00:00.000Z',
        startedFrom: '2026-01-02T08:00:00.000Z',
        endedTo: '2026-02-01T00:00:00.000Z',
        sort: 'submitTime',
        order: 'desc',
        limit: 20,
        page: 3,
      });
    });

    it("answers the projection's page with the limit and page it was read at", async () => {
      const page = { items: [{ jobId: '1' }], total: 41, nextCursor: 'abc' };
      gateway.projection.answer(ListJobs, page as never);
      const first = await gateway.get('/api/v1/jobs');
      expect(first.body).toEqual({ ...page, limit: 50 });
      const third = await gateway.get('/api/v1/jobs?limit=10&page=3');
      expect(third.body).toEqual({ ...page, limit: 10, page: 3 });
    });

    it('limits a user to their own jobs and shows an admin every job', async () => {
      await gateway.get('/api/v1/jobs?cluster=c1', { key: gateway.keys.alice });
      expect(gateway.projection.last(ListJobs)).toEqual({ cluster: 'c1', onlyUser: 'alice' });
      await gateway.get('/api/v1/jobs?cluster=c1');
      expect(gateway.projection.last(ListJobs)).toEqual({ cluster: 'c1' });
    });

    it('refuses bad parameters with 400 naming each one, without asking the projection', async () => {
      const response = await gateway.get(
        '/api/v1/jobs?state=SNOOZING,running&limit=0&submittedFrom=yesterday&sort=size&order=up&page=x&jobIds=',
      );
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(pathsOf(response.body)).toEqual([
        'jobIds',
        'limit',
        'order',
        'page',
        'sort',
        'state',
        'submittedFrom',
      ]);
      expect(gateway.projection.received).toEqual([]);
    });

    it('refuses an unknown parameter by name: a misspelt filter never means "no filter"', async () => {
      const response = await gateway.get('/api/v1/jobs?users=bob&cluster=c1');
      expect(response.status).toBe(400);
      expect(pathsOf(response.body)).toEqual(['users']);
      expect((response.body as ErrorBody).issues?.[0]?.problems).toEqual([
        'property users should not exist',
      ]);
    });

    it('refuses a repeated single-valued parameter, a range that ends before it starts, and cursor with page', async () => {
      const response = await gateway.get(
        '/api/v1/jobs?cluster=a&cluster=b&endedFrom=2026-02-01&endedTo=2026-01-01&cursor=x&page=2',
      );
      expect(response.status).toBe(400);
      expect(pathsOf(response.body)).toEqual(['cluster']);
      const crossed = await gateway.get(
        '/api/v1/jobs?endedFrom=2026-02-01&endedTo=2026-01-01&cursor=x&page=2',
      );
      expect(pathsOf(crossed.body)).toEqual(['endedFrom', 'page']);
    });

    it("turns the projection's own refusals into 400s in the API's names", async () => {
      gateway.projection.answer(ListJobs, () => {
        throw new HandlerError('VALIDATION_FAILED', 'invalid ListJobs', [
          { path: 'data.nameContains', problems: ['too long'] },
        ]);
      });
      const invalid = await gateway.get('/api/v1/jobs?name=x');
      expect(invalid.status).toBe(400);
      expect((invalid.body as ErrorBody).issues).toEqual([
        { path: 'name', problems: ['too long'] },
      ]);

      gateway.projection.answer(ListJobs, () => {
        throw new HandlerError('INVALID_CURSOR', 'the cursor is not one this projection made');
      });
      const cursor = await gateway.get('/api/v1/jobs?cursor=forged');
      expect(cursor.status).toBe(400);
      expect(pathsOf(cursor.body)).toEqual(['cursor']);
    });
  });

  describe('one job', () => {
    it('answers the job, its history and its pending time, asking for that job in the caller scope', async () => {
      const job = { cluster: 'c1', jobId: '42', state: 'RUNNING' };
      const history = { cluster: 'c1', jobId: '42', stream: 'job-c1-42-1', events: [] };
      const pending = { cluster: 'c1', jobId: '42', totalSeconds: 5, byReason: [] };
      gateway.projection
        .answer(GetJob, job as never)
        .answer(GetJobHistory, history)
        .answer(GetJobPendingTime, pending as never);
      const alice = { key: gateway.keys.alice };
      expect((await gateway.get('/api/v1/jobs/c1/42', alice)).body).toEqual(job);
      expect((await gateway.get('/api/v1/jobs/c1/42/history', alice)).body).toEqual(history);
      expect((await gateway.get('/api/v1/jobs/c1/42/pending-time', alice)).body).toEqual(pending);
      for (const cls of [GetJob, GetJobHistory, GetJobPendingTime]) {
        expect(gateway.projection.last(cls)).toEqual({
          cluster: 'c1',
          jobId: '42',
          onlyUser: 'alice',
        });
      }
    });

    it('answers 404 in JSON for a job the projection does not have (or the caller may not see)', async () => {
      for (const path of [
        '/api/v1/jobs/c1/9',
        '/api/v1/jobs/c1/9/history',
        '/api/v1/jobs/c1/9/pending-time',
      ]) {
        const response = await gateway.get(path);
        expect(response.status).toBe(404);
        expect(response.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: 'job 9 on cluster c1 not found',
        });
      }
    });
  });

  describe('nodes', () => {
    it('maps the node filters to ListNodes, states and flags in capitals', async () => {
      const response = await gateway.get(
        '/api/v1/nodes?cluster=c1&state=idle,mixed&flag=DRAIN&partition=gpu&gpuType=a100&limit=5&cursor=k',
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ...emptyPage, limit: 5 });
      expect(gateway.projection.last(ListNodes)).toEqual({
        cluster: 'c1',
        state: ['IDLE', 'MIXED'],
        flag: 'DRAIN',
        partition: 'gpu',
        gpuType: 'a100',
        limit: 5,
        cursor: 'k',
      });
    });

    it('refuses bad node filters naming them, and answers 404 for an unknown node', async () => {
      const bad = await gateway.get('/api/v1/nodes?state=&limit=1001&name=n01');
      expect(bad.status).toBe(400);
      expect(pathsOf(bad.body)).toEqual(['limit', 'name', 'state']);
      const node = { cluster: 'c1', name: 'n01' };
      gateway.projection.answer(GetNode, node as never);
      expect((await gateway.get('/api/v1/nodes/c1/n01')).body).toEqual(node);
      expect(gateway.projection.last(GetNode)).toEqual({ cluster: 'c1', name: 'n01' });
      const missing = await gateway.get('/api/v1/nodes/c1/n99/history');
      expect(missing.status).toBe(404);
      expect((missing.body as ErrorBody).message).toBe('node n99 on cluster c1 not found');
    });
  });

  describe('clusters', () => {
    it('lists clusters and their users as {items}, and answers 404 for an unknown cluster', async () => {
      gateway.projection
        .answer(ListClusters, [{ cluster: 'c1' }] as never)
        .answer(ListClusterUsers, [{ cluster: 'c1', user: 'bob' }] as never);
      expect((await gateway.get('/api/v1/clusters')).body).toEqual({ items: [{ cluster: 'c1' }] });
      expect((await gateway.get('/api/v1/clusters/c1/users')).body).toEqual({
        items: [{ cluster: 'c1', user: 'bob' }],
      });
      expect(gateway.projection.last(ListClusterUsers)).toEqual({ cluster: 'c1' });
      const missing = await gateway.get('/api/v1/clusters/nowhere');
      expect(missing.status).toBe(404);
      expect(gateway.projection.last(GetCluster)).toEqual({ cluster: 'nowhere' });
    });

    it('asks for the cluster as of a time in UTC, and requires the time', async () => {
      gateway.projection.answer(GetClusterAsOf, { cluster: 'c1' } as never);
      const response = await gateway.get(
        '/api/v1/clusters/c1/as-of?time=2026-01-31T12:00:00-01:00&limit=10',
      );
      expect(response.status).toBe(200);
      expect(gateway.projection.last(GetClusterAsOf)).toEqual({
        cluster: 'c1',
        time: '2026-01-31T13:00:00.000Z',
        limit: 10,
      });
      const noTime = await gateway.get('/api/v1/clusters/c1/as-of');
      expect(noTime.status).toBe(400);
      expect(pathsOf(noTime.body)).toEqual(['time']);
    });

    it('asks for the changes between two times, refusing an interval that ends before it starts', async () => {
      gateway.projection.answer(GetClusterChanges, emptyPage);
      const response = await gateway.get(
        '/api/v1/clusters/c1/changes?from=2026-01-01&to=2026-01-02&cursor=abc',
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ...emptyPage, limit: 50 });
      expect(gateway.projection.last(GetClusterChanges)).toEqual({
        cluster: 'c1',
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-02T00:00:00.000Z',
        cursor: 'abc',
      });
      const crossed = await gateway.get(
        '/api/v1/clusters/c1/changes?from=2026-01-02&to=2026-01-01',
      );
      expect(crossed.status).toBe(400);
      expect(pathsOf(crossed.body)).toEqual(['from']);
      const missing = await gateway.get('/api/v1/clusters/c1/changes');
      expect(pathsOf(missing.body)).toEqual(['from', 'to']);
    });
  });

  describe('admin: projections', () => {
    it('lists the read models and starts a rebuild with 202, for admins only', async () => {
      gateway.projection
        .answer(ListProjections, [status('jobs')])
        .answer(RebuildProjection, { started: true, status: status('jobs') });
      expect((await gateway.get('/api/v1/admin/projections')).body).toEqual({
        items: [status('jobs')],
      });
      const rebuild = await gateway.post('/api/v1/admin/projections/jobs/rebuild');
      expect(rebuild.status).toBe(202);
      expect(rebuild.body).toEqual({ started: true, status: status('jobs') });
      expect(gateway.projection.last(RebuildProjection)).toEqual({ name: 'jobs' });

      const asUser = await gateway.post('/api/v1/admin/projections/jobs/rebuild', {
        key: gateway.keys.alice,
      });
      expect(asUser.status).toBe(403);
      expect(
        (await gateway.get('/api/v1/admin/projections', { key: gateway.keys.alice })).status,
      ).toBe(403);
    });

    it('answers 404 for a projection that does not exist, 400 for a name that cannot be one', async () => {
      gateway.projection.answer(ListProjections, [status('jobs')]);
      const unknown = await gateway.post('/api/v1/admin/projections/nodes-v9/rebuild');
      expect(unknown.status).toBe(404);
      expect((unknown.body as ErrorBody).message).toBe('projection nodes-v9 not found');
      expect(gateway.projection.last(RebuildProjection)).toBeUndefined();
      const bad = await gateway.post('/api/v1/admin/projections/Jobs!/rebuild');
      expect(bad.status).toBe(400);
      expect(pathsOf(bad.body)).toEqual(['name']);
    });
  });

  describe('errors', () => {
    it('answers unknown routes with 404 in JSON', async () => {
      for (const path of ['/api/v1/nope', '/api/v2/jobs', '/nothing-here']) {
        const response = await gateway.get(path);
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(response.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: `Cannot GET ${path}`,
        });
      }
    });

    it('answers 401 in JSON without an API key', async () => {
      const response = await gateway.get('/api/v1/jobs', { key: null });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });

    it('answers 502 when the projection fails on its side, without its internals', async () => {
      gateway.projection.answer(ListClusters, () => {
        throw new Error('disk I/O error');
      });
      const response = await gateway.get('/api/v1/clusters');
      expect(response.status).toBe(502);
      expect((response.body as ErrorBody).error).toBe('Bad Gateway');
    });

    it('keeps the health endpoints public and working', async () => {
      expect((await gateway.get('/healthz', { key: null })).status).toBe(200);
      expect((await gateway.get('/readyz', { key: null })).status).toBe(200);
    });
  });
});

describe('the REST API while job-projection does not answer', () => {
  let gateway: HttpGateway;
  /** Lets a stalled answer finish, so the bus can close (it waits for handlers in flight). */
  let release: () => void = () => undefined;

  beforeAll(async () => {
    gateway = await HttpGateway.start();
  });

  afterAll(async () => {
    release();
    await gateway?.close();
  });

  it('answers 503 with the reason and Retry-After when no projection listens', async () => {
    gateway.projection.stop();
    const response = await gateway.get('/api/v1/jobs');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect((response.body as ErrorBody).message).toMatch(/^job-projection is not answering: /);
  });

  it('answers 503 instead of hanging when the projection takes too long', async () => {
    const stalled = new Promise<null>((resolve) => (release = () => resolve(null)));
    gateway.projection.start().answer(GetJob, () => stalled);
    const response = await gateway.get('/api/v1/jobs/c1/1');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect((response.body as ErrorBody).message).toMatch(/no reply .* within 3000 ms/);
  });
});
