import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from '@clocktower/config';
import { JobProjectionConfig } from './config.js';

describe("job-projection's configuration", () => {
  const parse = (env: Record<string, string>): JobProjectionConfig =>
    parseConfig(JobProjectionConfig, { CLOCKTOWER_BUS: 'in-process', ...env });

  it('keeps 16 MiB of job list pages by default; 0 turns the cache off', () => {
    expect(parse({}).pageCacheMb).toBe(16);
    expect(parse({ CLOCKTOWER_PAGE_CACHE_MB: '0' }).pageCacheMb).toBe(0);
    expect(parse({ CLOCKTOWER_PAGE_CACHE_MB: '256' }).pageCacheMb).toBe(256);
  });

  it('names CLOCKTOWER_PAGE_CACHE_MB when it is not a whole number of MiB in range', () => {
    for (const bad of ['-1', '1.5', 'lots', '5000']) {
      expect(() => parse({ CLOCKTOWER_PAGE_CACHE_MB: bad })).toThrow(ConfigError);
      expect(() => parse({ CLOCKTOWER_PAGE_CACHE_MB: bad })).toThrow(
        new RegExp(`CLOCKTOWER_PAGE_CACHE_MB: .*\\(got "${bad.replace('.', '\\.')}"\\)`),
      );
    }
  });
});
