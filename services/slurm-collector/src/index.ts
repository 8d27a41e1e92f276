export { SlurmCollectorDefinition } from './app/slurm-collector.definition.js';
export { SlurmCollectorConfig } from './app/config.js';
