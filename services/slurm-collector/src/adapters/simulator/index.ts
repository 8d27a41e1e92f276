// The simulator's public surface: the SlurmSource for the embedded demo, the pure cluster model
// behind it, the renderers of Slurm 22.05's JSON, and the large fixture for benchmarks.
export {
  DEFAULT_SIMULATOR_SEED,
  DEFAULT_SIMULATOR_SPEED,
  SimulatorSource,
  type SimulatorSourceOptions,
} from './simulator.source.js';
export { REQUEUE_DELAY_SECONDS, SimulatedCluster } from './simulated-cluster.js';
export { type SimPartitionState, SUBMIT_USER } from './cluster-topology.js';
export { SIM_QOS, type SimSubmitRequest } from './submit-request.js';
export {
  DEFAULT_CLUSTER_NAME,
  DEFAULT_MIN_JOB_AGE_SECONDS,
  DEFAULT_SIMULATED_CLUSTER_CONFIG,
  DEFAULT_WARM_UP_SECONDS,
  type SimAccount,
  type SimJobKinds,
  type SimNodeGroup,
  type SimNodeIncidents,
  type SimOutcomes,
  type SimPartition,
  type SimulatedClusterConfig,
  type SimulatedClusterOverrides,
  simulatedClusterConfig,
} from './simulated-cluster.config.js';
export {
  type SimAllocation,
  type SimJob,
  SimJobState,
  type SimNode,
  SimReason,
  type SimUser,
  WaitStatus,
} from './simulated-job.js';
export {
  createSnapshotFixture,
  type SnapshotFixture,
  type SnapshotFixtureOptions,
} from './snapshot-fixture.js';
export { renderSqueueJson } from './squeue-json.render.js';
export { renderSinfoJson } from './sinfo-json.render.js';
export { renderSacctJson } from './sacct-json.render.js';
export { type ClusterView, SIMULATED_SLURM_RELEASE } from './slurm-json.format.js';
export {
  SimulatedCommandRejectedError,
  SimulatedJobNotFoundError,
  SimulatedNodeNotFoundError,
  SimulatorError,
  SimulatorErrorCode,
} from './simulator.errors.js';
