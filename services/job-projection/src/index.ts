export { JobProjectionDefinition } from './app/job-projection.definition.js';
export { JobProjectionConfig } from './app/config.js';
// For the benchmarks (services/job-projection/bench), which import this package by name.
export { ProjectionRebuild, type SwitchOver } from './app/projector/projection.rebuild.js';
export { ReadModelFiles } from './app/projector/read-model.files.js';
export { SqliteReadModel } from './adapters/store/sqlite-read-model.js';
export type { ReadModel } from './adapters/store/read-model.port.js';
