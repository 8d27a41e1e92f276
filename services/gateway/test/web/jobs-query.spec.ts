import { describe, expect, it } from '@jest/globals';
import { jobsApiPath, searchParams } from '../../web/src/jobs-query.js';

/** The jobs page's URL is its GET /jobs query: what it adds, translates and leaves alone. */
describe('the jobs page query', () => {
  const path = (search: string, itemsPerPage = 50): URLSearchParams =>
    new URLSearchParams(jobsApiPath(new URLSearchParams(search), itemsPerPage).split('?')[1]);

  it('searches job ids when the search box holds only digits, else part of the name', () => {
    expect(searchParams(' 1001, 1002 1003 ')).toEqual({ jobIds: '1001,1002,1003' });
    expect(searchParams('align')).toEqual({ name: 'align' });
    expect(searchParams('run 2')).toEqual({ name: 'run 2' });
    expect(searchParams('  ')).toEqual({});
  });

  it("adds the user's page size and page 1, unless the URL names them", () => {
    expect(Object.fromEntries(path('state=RUNNING', 100))).toEqual({
      state: 'RUNNING',
      limit: '100',
      page: '1',
    });
    expect(Object.fromEntries(path('limit=25&page=3'))).toEqual({ limit: '25', page: '3' });
    expect(path('cursor=abc').has('page')).toBe(false);
  });

  it('passes unknown and bad parameters on as they are, for the API to name in its 400', () => {
    const query = path('users=bob&state=bogus&state=RUNNING&q=7');
    expect(query.getAll('users')).toEqual(['bob']);
    expect(query.getAll('state')).toEqual(['bogus', 'RUNNING']);
    expect(query.get('jobIds')).toBe('7');
    expect(query.has('q')).toBe(false);
  });
});
