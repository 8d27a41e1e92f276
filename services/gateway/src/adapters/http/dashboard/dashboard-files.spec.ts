import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { chooseEncoding, fileWithin } from './dashboard-files.js';

describe('the encoding of a dashboard file', () => {
  it('prefers brotli, then gzip, as the client accepts them', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip;q=1.0, identity; q=0.5')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
  });

  it('sends none to a client that says nothing or refuses them with q=0', () => {
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding('')).toBe('identity');
    expect(chooseEncoding('br;q=0, gzip;q=0')).toBe('identity');
    expect(chooseEncoding('*;q=0')).toBe('identity');
    expect(chooseEncoding('br;q=0, *')).toBe('gzip');
  });
});

describe('a dashboard asset name', () => {
  const dir = '/srv/web/assets';

  it('names a file below the assets folder', () => {
    expect(fileWithin(dir, 'app-3F9A.js')).toBe(join(dir, 'app-3F9A.js'));
    expect(fileWithin(dir, 'fonts/inter.woff2')).toBe(join(dir, 'fonts/inter.woff2'));
  });

  it('never leaves the folder, nor names a hidden file or an empty segment', () => {
    for (const name of ['../index.html', 'a/../../x', '.env', 'a/.git/config', '', 'a//b', 'a\0b'])
      expect(fileWithin(dir, name)).toBeUndefined();
  });
});
