export {
  SlurmSourceError,
  SlurmSourceErrorCode,
  isSlurmSourceError,
  type CancelJobRequest,
  type SlurmSource,
  type SubmitJobRequest,
} from './slurm-source.port.js';
export {
  DEFAULT_MAX_OUTPUT_BYTES,
  type CommandResult,
  type CommandRunner,
  type RunOptions,
} from './command-runner.port.js';
export type { SourceLogger } from './source-logger.js';
export { LocalCommandRunner, type LocalCommandRunnerOptions } from './local-command.runner.js';
export { SshCommandRunner, type SshCommandRunnerOptions } from './ssh-command.runner.js';
export { CliSlurmSource, type CliSlurmSourceOptions } from './cli-slurm.source.js';
export { SlurmrestdSource, type SlurmrestdSourceOptions } from './slurmrestd.source.js';
export {
  ReplaySource,
  readReplayDirectory,
  REPLAY_FILES,
  OBSERVED_AT_FILE,
  type ReplayPoll,
  type ReplaySourceOptions,
} from './replay.source.js';
export { HostKeyPin, sha256Fingerprint } from './host-key-pin.js';
export { shellCommand, shellQuote } from './shell-quote.js';
export { sbatchArgv, scancelArgv, parseSbatchParsable } from './sbatch.argv.js';
export { validateCancelJobRequest, validateSubmitJobRequest } from './job-request.validation.js';
