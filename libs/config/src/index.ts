import 'reflect-metadata';

export { EnvKey, EnvNumber, EnvBoolean, EnvList, envKeysOf } from './env.decorators.js';
export { parseConfig, ConfigError } from './parse-config.js';
