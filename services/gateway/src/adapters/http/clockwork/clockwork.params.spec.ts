import { describe, expect, it } from '@jest/globals';
import { basicCredentials } from './clockwork-auth.guard.js';
import { ClockworkReply } from './clockwork-reply.js';
import {
  commaList,
  parseJobList,
  parseJobRef,
  parseKeys,
  parsePropsRef,
  parseUpdatePairs,
  parseUpdates,
} from './clockwork.params.js';

function reply(run: () => unknown): { status: number; body: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ClockworkReply) return { status: error.status, body: error.body };
    throw error;
  }
  throw new Error('expected a ClockworkReply');
}

describe('parseJobList', () => {
  it('lists every job, unsorted paging off, when no page is asked for', () => {
    expect(parseJobList({})).toEqual({
      filter: {},
      clusters: [],
      sort: { field: 'submitTime', order: 'desc' },
      wantCount: false,
    });
  });

  it("reads Clockwork's filters: comma lists, aggregated states, job array, want_count", () => {
    const list = parseJobList({
      cluster_name: 'mila, beluga',
      aggregated_job_state: 'RUNNING',
      job_state: 'PENDING',
      job_id: '1,2',
      job_array: '7',
      username: 'alice@mila.quebec',
      want_count: 'True',
    });
    expect(list).toMatchObject({
      filter: { state: ['RUNNING', 'COMPLETING', 'PENDING'], jobIds: ['1', '2'], arrayJobId: '7' },
      clusters: ['mila', 'beluga'],
      username: 'alice@mila.quebec',
      wantCount: true,
    });
  });

  it("takes the older servers' `user` for username, where `all` or `*` means everyone", () => {
    expect(parseJobList({ user: 'bob' }).username).toBe('bob');
    expect(parseJobList({ user: 'all' }).username).toBeUndefined();
    expect(parseJobList({ user: '*', username: 'a@b.c' }).username).toBe('a@b.c');
  });

  it('pages when page_num or nbr_items_per_page is given, falling back like Clockwork on bad values', () => {
    expect(parseJobList({ page_num: '3', nbr_items_per_page: '10' }).page).toEqual({
      num: 3,
      size: 10,
    });
    expect(parseJobList({ page_num: '2' }).page).toEqual({ num: 2, size: 40 });
    expect(parseJobList({ nbr_items_per_page: 'ten', page_num: '-1' }).page).toEqual({
      num: 1,
      size: 40,
    });
  });

  it("sorts as sort_by and sort_asc say, with Clockwork's default direction per field", () => {
    expect(parseJobList({ sort_by: 'user' }).sort).toEqual({ field: 'user', order: 'asc' });
    expect(parseJobList({ sort_by: 'end_time', sort_asc: '1' }).sort).toEqual({
      field: 'endTime',
      order: 'asc',
    });
  });

  it('refuses what would fail or match nothing in Clockwork, naming the parameter', () => {
    expect(reply(() => parseJobList({ relative_time: 'yesterday' }))).toEqual({
      status: 400,
      body: "Field 'relative_time' cannot be cast as a valid float: yesterday.",
    });
    expect(reply(() => parseJobList({ aggregated_job_state: 'DONE' })).body).toMatch(
      /^Unknown aggregated_job_state DONE/,
    );
    expect(reply(() => parseJobList({ job_state: 'running' })).body).toMatch(
      /^Unknown job_state running/,
    );
    expect(reply(() => parseJobList({ sort_by: 'name' })).body).toMatch(/^Field 'sort_by'/);
    expect(reply(() => parseJobList({ relative_time: '60', page_num: '1' })).status).toBe(400);
  });
});

describe('the other parameters', () => {
  it('needs job_id (a string, or a number in a JSON body)', () => {
    expect(parseJobRef({ job_id: 42 })).toEqual({ jobId: '42', clusters: [] });
    expect(reply(() => parseJobRef({}))).toEqual({ status: 400, body: 'Missing argument job_id.' });
    expect(reply(() => parsePropsRef({ job_id: '1' }))).toEqual({
      status: 400,
      body: 'Missing argument cluster_name.',
    });
  });

  it('takes updates as an object only, naming the Python type of anything else', () => {
    expect(parseUpdates({ updates: { a: 1 } })).toEqual({ a: 1 });
    expect(reply(() => parseUpdates({ updates: [1] })).body).toBe(
      "Expected `updates` to be a dict, but instead it is of type <class 'list'>: [1].",
    );
    expect(reply(() => parseUpdates({})).body).toBe("Missing argument 'updates'.");
  });

  it('takes keys as one string or a list of strings', () => {
    expect(parseKeys({ keys: 'a' })).toEqual(['a']);
    expect(parseKeys({ keys: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(reply(() => parseKeys({ keys: 3 })).body).toMatch(/of type <class 'int'>: 3\.$/);
  });

  it('reads update_pairs as a JSON object sent as a string', () => {
    expect(parseUpdatePairs({ update_pairs: '{"a": 1}' })).toEqual({ a: 1 });
    expect(reply(() => parseUpdatePairs({ update_pairs: '{' })).body).toMatch(
      /^Failed to json\.loads\(update_pairs\)/,
    );
  });

  it('splits comma lists as Clockwork does', () => {
    expect(commaList(' a , ,b')).toEqual(['a', 'b']);
  });
});

describe('basicCredentials', () => {
  const header = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('splits email and key at the first colon', () => {
    expect(basicCredentials(header('a@b.c:ct_key:x'))).toEqual({ email: 'a@b.c', key: 'ct_key:x' });
  });

  it('refuses other schemes and credentials without a colon', () => {
    expect(basicCredentials('Bearer ct_x')).toBeUndefined();
    expect(basicCredentials(header('no-colon'))).toBeUndefined();
    expect(basicCredentials(undefined)).toBeUndefined();
  });
});
