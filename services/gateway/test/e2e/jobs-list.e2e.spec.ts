import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JOB_SORT_FIELDS, type JobView, type Page } from '@clocktower/contracts';
import { labComponent } from '@clocktower/testing';
import { allJobs, issuePaths } from './support/api-client.js';
import { startFixture, type E2eFixture } from './support/e2e-fixture.js';
import {
  foldJobs,
  matches,
  readEvents,
  type ExpectedJob,
  type JobQuery,
} from './support/expected-views.js';
import { BASE } from './support/known-history.js';
import { compareField, nullsAtOneEnd } from './support/ordering.js';
import { appendSynthetic, SYNTHETIC_CLUSTER } from './support/synthetic.js';

/**
 * GET /api/v1/jobs against a history whose every job the test knows: the known jobs of two
 * clusters and a larger synthetic history beside them. What each query should return is computed
 * from the events in the store (the contracts' fold), never from the API.
 */

const nats = await labComponent('nats');
const at = (seconds: number): string => new Date(BASE + seconds * 1_000).toISOString();

/** Every filter alone, a few together, and one that matches nothing. Time bounds fall between events. */
const FILTERS: readonly JobQuery[] = [
  {},
  { cluster: 'e2e' },
  { cluster: 'aux' },
  { cluster: SYNTHETIC_CLUSTER },
  { user: 'alice' },
  { account: 'genomics' },
  { partition: 'gpu' },
  { state: 'pending' },
  { state: 'running' },
  { state: 'finished' },
  { state: 'failed' },
  { state: 'FAILED,COMPLETED' },
  { state: 'pending,TIMEOUT' },
  { node: 'n03' },
  { node: 'n01' },
  { name: 'SAMPLE' },
  { name: 'note' },
  { jobIds: '1001,1003,7002' },
  { arrayJobId: '2000' },
  { submittedFrom: at(100.5), submittedTo: at(250.5) },
  { submittedFrom: at(205.5) },
  { startedFrom: at(100.5), startedTo: at(335.5) },
  { startedTo: at(100.5) },
  { endedFrom: at(300.5), endedTo: at(550.5) },
  { endedFrom: at(450.5) },
  { cluster: 'e2e', user: 'alice', state: 'running' },
  { cluster: 'e2e', partition: 'batch', state: 'finished', name: 'a' },
  { user: 'nobody-at-all' },
];

(nats.available ? describe : describe.skip)(
  'GET /api/v1/jobs over HTTP, job-projection and the gateway as separate processes over NATS',
  () => {
    let fixture: E2eFixture;
    let expected: ExpectedJob[];

    beforeAll(async () => {
      fixture = await startFixture(nats.available ? nats.value : '', {
        more: (stack) => appendSynthetic(stack.store),
      });
      expected = foldJobs(await readEvents(fixture.stack.store));
    });

    afterAll(async () => {
      await fixture?.stack.stop();
    });

    const expectedFor = (query: JobQuery): ExpectedJob[] =>
      expected.filter((j) => matches(j, query));
    const streams = (jobs: readonly { stream: string }[]): string[] =>
      jobs.map((j) => j.stream).sort();

    it('lists every job with its record as folded from its events, and where its history stands', async () => {
      const { items } = await allJobs(fixture.admin, {}, 500);
      expect(items).toHaveLength(expected.length);
      const byStream = new Map(items.map((item) => [item.stream, item]));
      for (const job of expected) {
        expect({ stream: job.stream, view: byStream.get(job.stream) }).toEqual({
          stream: job.stream,
          view: {
            ...job.record,
            stream: job.stream,
            updatedAt: job.updatedAt,
            position: job.position,
          },
        });
      }
    });

    it.each(FILTERS.map((query) => [JSON.stringify(query), query] as const))(
      'gives exactly the jobs that match the filters %s, each once, with the total of all pages',
      async (_, query) => {
        const want = expectedFor(query);
        // The fixture gives every filter something to find, but the one meant to find nothing.
        expect(want.length === 0).toBe(query['user'] === 'nobody-at-all');
        const { items, totals } = await allJobs(fixture.admin, query, 25);
        expect(streams(items)).toEqual(streams(want));
        expect(new Set(items.map((i) => i.stream)).size).toBe(items.length);
        expect(new Set(totals)).toEqual(new Set([want.length]));
      },
    );

    it('pages with a small limit through a filtered list, visiting every job once', async () => {
      const query = { cluster: 'e2e' };
      const { items, pages } = await allJobs(fixture.admin, query, 2);
      expect(pages).toBe(Math.ceil(expectedFor(query).length / 2));
      expect(streams(items)).toEqual(streams(expectedFor(query)));
    });

    it('pages by page number: pages 1..n visit every job once and the last page ends the list', async () => {
      const query = { cluster: 'e2e', sort: 'submitTime', order: 'asc' };
      const want = expectedFor({ cluster: 'e2e' });
      const limit = 3;
      const seen: JobView[] = [];
      for (let page = 1; page <= Math.ceil(want.length / limit); page++) {
        const body = await fixture.admin.ok<Page<JobView>>('/api/v1/jobs', {
          ...query,
          limit: String(limit),
          page: String(page),
        });
        expect(body.total).toBe(want.length);
        seen.push(...body.items);
      }
      expect(streams(seen)).toEqual(streams(want));
      const beyond = await fixture.admin.ok<Page<JobView>>('/api/v1/jobs', {
        ...query,
        limit: String(limit),
        page: String(Math.ceil(want.length / limit) + 1),
      });
      expect(beyond.items).toEqual([]);
    });

    describe.each(
      JOB_SORT_FIELDS.flatMap((field) =>
        (['asc', 'desc'] as const).map((order) => [field, order] as const),
      ),
    )('sorting by %s %s', (field, order) => {
      it('orders every page of the list and keeps jobs without a value together at one end', async () => {
        const { items } = await allJobs(fixture.admin, { sort: field, order }, 200);
        expect(streams(items)).toEqual(streams(expected));
        const values = items.map((item) => item[field]);
        expect(nullsAtOneEnd(values)).toBe(true);
        const present = values.filter((v): v is string => v !== null);
        for (let i = 1; i < present.length; i++) {
          const cmp = compareField(field, present[i - 1]!, present[i]!);
          if (order === 'asc' ? cmp > 0 : cmp < 0) {
            throw new Error(
              `sort=${field}&order=${order}: ${present[i - 1]} comes before ${present[i]} (items ${i - 1} and ${i})`,
            );
          }
        }
      });

      it('pages with a small limit through a sorted, filtered list, visiting every job once', async () => {
        const query = { cluster: 'e2e', sort: field, order };
        const { items } = await allJobs(fixture.admin, query, 2);
        expect(streams(items)).toEqual(streams(expectedFor({ cluster: 'e2e' })));
      });
    });

    it.each([
      ['limit', { limit: '0' }],
      ['limit', { limit: 'ten' }],
      ['limit', { limit: '1000000' }],
      ['page', { page: '0' }],
      ['page', { page: '2', cursor: 'abc' }],
      ['sort', { sort: 'colour' }],
      ['order', { order: 'sideways' }],
      ['state', { state: 'NOT_A_STATE' }],
      ['state', { state: 'running,' }],
      ['submittedFrom', { submittedFrom: 'yesterday' }],
      ['endedTo', { endedTo: '2026-13-45T00:00:00Z' }],
      ['startedFrom', { startedFrom: at(200), startedTo: at(100) }],
      ['colour', { colour: 'red' }],
    ] as const)('answers 400 naming the field %s for %j', async (field, query) => {
      const response = await fixture.admin.get('/api/v1/jobs', query);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/json/);
      expect(issuePaths(response.body)).toContain(field);
    });

    it('answers 400 naming the cursor for a cursor it never handed out', async () => {
      const response = await fixture.admin.get('/api/v1/jobs', { cursor: 'not-a-cursor' });
      expect(response.status).toBe(400);
      expect(issuePaths(response.body)).toEqual(['cursor']);
    });

    it('answers unknown routes and unknown jobs with 404 in JSON', async () => {
      for (const path of ['/api/v1/no-such-thing', '/api/v1/jobs/e2e/999999', '/no/such/route']) {
        const response = await fixture.admin.get(path);
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
        expect(response.headers.get('content-type')).toMatch(/json/);
      }
    });
  },
);
