import { describe, expect, it } from '@jest/globals';
import { RawJson } from '@clocktower/messaging';
import { pageReply, pageReplyJson } from './paging.params.js';

describe('a page passed through as JSON text', () => {
  const page = { items: [{ name: 'é "quoted" }' }], total: 1, nextCursor: null };

  it('is the same text as the parsed page with the limit and page added', () => {
    for (const params of [{}, { limit: 5 }, { limit: 5, page: 3 }]) {
      const text = Buffer.concat(pageReplyJson(new RawJson(JSON.stringify(page)), params)).toString(
        'utf8',
      );
      expect(text).toBe(JSON.stringify(pageReply(page, params)));
    }
  });

  it('adds the fields to an empty object without a stray comma', () => {
    expect(Buffer.concat(pageReplyJson(new RawJson('{}'), { limit: 2 })).toString('utf8')).toBe(
      '{"limit":2}',
    );
  });

  it('refuses a reply that is not a JSON object rather than answer broken JSON', () => {
    expect(() => pageReplyJson(new RawJson('[1,2]'), {})).toThrow(/not a JSON object/);
  });
});
