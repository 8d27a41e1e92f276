import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from '@clocktower/config';
import { DEFAULT_SUBJECT_PREFIX } from '@clocktower/contracts';
import { PlatformConfig } from './platform.config.js';

describe("an installation's subject prefix (CLOCKTOWER_SUBJECT_PREFIX)", () => {
  it('is the default prefix unless set, and the value given when it is one NATS token', () => {
    expect(parseConfig(PlatformConfig, {}).subjectPrefix).toBe(DEFAULT_SUBJECT_PREFIX);
    expect(
      parseConfig(PlatformConfig, { CLOCKTOWER_SUBJECT_PREFIX: 'site-2_b' }).subjectPrefix,
    ).toBe('site-2_b');
  });

  it('stops the start naming the key when it is not one NATS token', () => {
    for (const bad of ['a.b', 'ct>', 'c*', 'has space']) {
      expect(() => parseConfig(PlatformConfig, { CLOCKTOWER_SUBJECT_PREFIX: bad })).toThrow(
        ConfigError,
      );
      expect(() => parseConfig(PlatformConfig, { CLOCKTOWER_SUBJECT_PREFIX: bad })).toThrow(
        /CLOCKTOWER_SUBJECT_PREFIX/,
      );
    }
  });
});
