import { describe, expect, it, jest } from '@jest/globals';

// Replace node:crypto's timingSafeEqual with a recording wrapper before api-key.ts loads it, to
// check that keys are compared in constant time (ESM: mock the module, then import dynamically).
const actual = await import('node:crypto');
const timingSafeEqual = jest.fn(actual.timingSafeEqual);
jest.unstable_mockModule('node:crypto', () => ({ ...actual, default: actual, timingSafeEqual }));
const { apiKeyMatches, generateApiKey, hashApiKey, keyIdOf, KEY_ID_LENGTH, SECRET_LENGTH } =
  await import('./api-key.js');

describe('API keys', () => {
  it('look like ct_<keyId>_<secret>, with the key id readable back from the key', () => {
    const { key, keyId, sha256 } = generateApiKey();
    expect(key).toMatch(/^ct_[A-Za-z0-9]{12}_[A-Za-z0-9]{43}$/);
    expect(keyIdOf(key)).toBe(keyId);
    expect(keyId).toHaveLength(KEY_ID_LENGTH);
    expect(sha256).toBe(hashApiKey(key));
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(SECRET_LENGTH * Math.log2(62)).toBeGreaterThanOrEqual(256);
  });

  it('are different every time', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    expect(keys.size).toBe(200);
  });

  it('reject anything that is not a whole well-formed key', () => {
    const { key } = generateApiKey();
    for (const bad of [
      '',
      'ct_',
      key.slice(0, -1),
      `${key}x`,
      `Bearer ${key}`,
      key.replace('ct_', 'xx_'),
    ]) {
      expect(keyIdOf(bad)).toBeUndefined();
    }
  });

  it('match only their own hash, compared with crypto.timingSafeEqual', () => {
    const { key, sha256 } = generateApiKey();
    const other = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    timingSafeEqual.mockClear();
    expect(apiKeyMatches(key, sha256)).toBe(true);
    expect(apiKeyMatches(other, sha256)).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
  });

  it('never match a stored hash that is not 32 bytes', () => {
    const { key } = generateApiKey();
    expect(apiKeyMatches(key, 'abcd')).toBe(false);
  });
});
