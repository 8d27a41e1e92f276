export { SlurmCollectorDefinition } from './app/slurm-collector.definition.js';
export { SlurmCollectorConfig } from './app/config.js';
export {
  createSnapshotFixture,
  type SnapshotFixture,
} from './adapters/simulator/snapshot-fixture.js';
export { parseJobs, parseNodes } from './domain/parsers/index.js';
export {
  ClusterState,
  decideNodes,
  decideQueue,
  decideReachability,
  forgetSettledJobs,
} from './domain/cluster-state.js';
export { writeDecisions } from './adapters/store/decision-writer.js';
export type { StreamDecision } from './domain/event-draft.js';
export type { RawOutput } from './domain/raw-output.js';
