import { validateCancelJobRequest, validateSubmitJobRequest } from './job-request.validation.js';
import {
  SlurmSourceError,
  type CancelJobRequest,
  type SubmitJobRequest,
} from './slurm-source.port.js';

/**
 * The argv of `sbatch` and `scancel` for a request, validated first. Every option is one argv
 * element (`--comment=...`), so no value can become a second option. The script goes to sbatch's
 * stdin, never into argv. Extra environment variables go through `env NAME=VALUE sbatch ...`:
 * sbatch exports its whole environment to the job by default, and `env` needs no sshd AcceptEnv.
 */
export function sbatchArgv(input: SubmitJobRequest): string[] {
  const request = validateSubmitJobRequest(input);
  const options: [string, string | number | undefined][] = [
    ['--job-name', request.name],
    ['--partition', request.partition],
    ['--account', request.account],
    ['--qos', request.qos],
    ['--time', request.timeLimitMinutes],
    ['--nodes', request.nodes],
    ['--cpus-per-task', request.cpusPerTask],
    ['--mem', request.memoryMB === undefined ? undefined : `${request.memoryMB}M`],
    ['--gpus', request.gpus],
    ['--chdir', request.workDir],
    ['--output', request.output],
    ['--error', request.error],
    ['--comment', request.comment],
    ['--array', request.array],
    ['--dependency', request.dependency],
  ];
  const env = Object.entries(request.env ?? {}).map(([key, value]) => `${key}=${value}`);
  return [
    ...(env.length > 0 ? ['env', ...env] : []),
    'sbatch',
    '--parsable',
    ...options.flatMap(([option, value]) => (value === undefined ? [] : [`${option}=${value}`])),
    ...(request.hold === true ? ['--hold'] : []),
  ];
}

export function scancelArgv(input: CancelJobRequest): string[] {
  const request = validateCancelJobRequest(input);
  return [
    'scancel',
    ...(request.signal === undefined ? [] : [`--signal=${request.signal}`]),
    request.jobId,
  ];
}

/** `sbatch --parsable` prints `jobid` or `jobid;cluster` on its last line. */
export function parseSbatchParsable(stdout: string): { jobId: string; cluster?: string } {
  const last = stdout.trim().split('\n').pop()?.trim() ?? '';
  const match = /^(\d+)(?:;([A-Za-z0-9._-]+))?$/.exec(last);
  if (!match?.[1]) {
    throw new SlurmSourceError(
      'COMMAND_FAILED',
      `sbatch --parsable printed ${JSON.stringify(last.slice(0, 200))} instead of a job id; the job may or may not have been submitted (check squeue)`,
    );
  }
  return match[2] === undefined ? { jobId: match[1] } : { jobId: match[1], cluster: match[2] };
}
