import { describe, expect, it } from '@jest/globals';
import { IsBoolean, IsIn, IsInt, IsString, Max, Min, IsUrl, ArrayNotEmpty } from 'class-validator';
import { EnvBoolean, EnvKey, EnvList, EnvNumber } from './env.decorators.js';
import { ConfigError, parseConfig } from './parse-config.js';

class ExampleConfig {
  @EnvNumber('PORT') @IsInt() @Min(1) @Max(65535) port = 8080;
  @EnvKey('CLOCKTOWER_STORE') @IsIn(['sqlite', 'memory']) store = 'sqlite';
  @EnvBoolean('VERBOSE') @IsBoolean() verbose = false;
  @EnvList('CLUSTERS') @ArrayNotEmpty() @IsString({ each: true }) clusters = ['sim'];
  @EnvKey('NATS_URL') @IsUrl({ protocols: ['nats'], require_tld: false }) natsUrl =
    'nats://127.0.0.1:4222';
}

describe('parseConfig', () => {
  it('keeps defaults for absent or empty keys and converts strings to what is declared', () => {
    expect(parseConfig(ExampleConfig, {})).toMatchObject({
      port: 8080,
      store: 'sqlite',
      verbose: false,
      clusters: ['sim'],
    });
    const config = parseConfig(ExampleConfig, {
      PORT: '9090',
      VERBOSE: 'yes',
      CLUSTERS: 'lab, mila',
      CLOCKTOWER_STORE: '',
      UNRELATED: 'x',
    });
    expect(config).toMatchObject({
      port: 9090,
      verbose: true,
      clusters: ['lab', 'mila'],
      store: 'sqlite',
    });
    expect(config).toBeInstanceOf(ExampleConfig);
  });

  it('names every bad key with the value it got', () => {
    let error: unknown;
    try {
      parseConfig(ExampleConfig, {
        PORT: 'eighty',
        CLOCKTOWER_STORE: 'postgres',
        VERBOSE: 'maybe',
        NATS_URL: 'http://x',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.key).sort()).toEqual([
      'CLOCKTOWER_STORE',
      'NATS_URL',
      'PORT',
      'VERBOSE',
    ]);
    expect((error as Error).message).toMatch(/PORT: .*\(got "eighty"\)/);
    expect((error as Error).message).toMatch(/CLOCKTOWER_STORE: .*\(got "postgres"\)/);
  });
});
