/** Errors of the simulated cluster, each with a stable code. Messages read like Slurm's own. */

export const SimulatorErrorCode = {
  JobNotFound: 'SIMULATOR_JOB_NOT_FOUND',
  CommandRejected: 'SIMULATOR_COMMAND_REJECTED',
  NodeNotFound: 'SIMULATOR_NODE_NOT_FOUND',
} as const;
export type SimulatorErrorCode = (typeof SimulatorErrorCode)[keyof typeof SimulatorErrorCode];

export abstract class SimulatorError extends Error {
  abstract readonly code: SimulatorErrorCode;
}

/** scancel of an id the controller does not know. */
export class SimulatedJobNotFoundError extends SimulatorError {
  readonly code = SimulatorErrorCode.JobNotFound;
  constructor(readonly jobId: string) {
    super(`Invalid job id specified: ${jobId}`);
    this.name = 'SimulatedJobNotFoundError';
  }
}

/** sbatch refused the job (bad partition, a request no node can hold) or scancel a bad option. */
export class SimulatedCommandRejectedError extends SimulatorError {
  readonly code = SimulatorErrorCode.CommandRejected;
  constructor(
    readonly command: 'sbatch' | 'scancel',
    readonly reason: string,
  ) {
    super(
      command === 'sbatch'
        ? `sbatch: error: Batch job submission failed: ${reason}`
        : `scancel: error: ${reason}`,
    );
    this.name = 'SimulatedCommandRejectedError';
  }
}

export class SimulatedNodeNotFoundError extends SimulatorError {
  readonly code = SimulatorErrorCode.NodeNotFound;
  constructor(readonly node: string) {
    super(`Invalid node name specified: ${node}`);
    this.name = 'SimulatedNodeNotFoundError';
  }
}
