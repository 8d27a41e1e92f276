import {
  SlurmSourceError,
  type CancelJobRequest,
  type SubmitJobRequest,
} from './slurm-source.port.js';

/**
 * Checks a submit or cancel request before anything is built from it, whichever source runs it.
 * Identifiers (names, partition, account, qos, ids) are whitelisted; free text (comment, env values)
 * may hold anything printable, because every source passes it as data — a quoted argv element or a
 * JSON string — never as shell code. A refusal is INVALID_REQUEST naming the field.
 */

/** Slurm's default max_script_size (SchedulerParameters) is 4 MB. */
export const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;
const MAX_COMMENT_LENGTH = 1024;
const MAX_PATH_LENGTH = 4096;
const MAX_ENV_VALUE_LENGTH = 32 * 1024;

const NAME = /^[A-Za-z0-9._-]{1,128}$/;
/** Partition and qos may be comma-separated lists (sbatch takes the first usable one). */
const NAME_LIST = /^[A-Za-z0-9._-]{1,64}(,[A-Za-z0-9._-]{1,64})*$/;
/** No spaces, quotes or shell characters; `%` for sbatch's filename patterns (%j, %A, %a, %x, %u). */
const PATH = /^[A-Za-z0-9._/%@+=:,~-]+$/;
const ARRAY = /^[0-9,\-:%]+$/;
const DEPENDENCY_TERM =
  '(?:singleton|(?:after|afterany|afterok|afternotok|aftercorr|afterburstbuffer)(?::[0-9]+(?:_[0-9]+)?(?:\\+[0-9]+)?)+)';
const DEPENDENCY = new RegExp(`^${DEPENDENCY_TERM}(?:[,?]${DEPENDENCY_TERM})*$`);
const ENV_KEY = /^[A-Z_][A-Z0-9_]*$/;
/** Variables that would change which program runs or which sbatch options apply, not the job's data. */
const ENV_RESERVED =
  /^(PATH|IFS|ENV|BASH_ENV|SHELLOPTS|BASHOPTS|PS4|PROMPT_COMMAND|LD_.*|SLURM_.*|SBATCH_.*|SALLOC_.*|SRUN_.*|BASH_FUNC_.*)$/;
const JOB_ID = /^\d+(_\d+)?$/;
const SIGNAL = /^(?:(?:SIG)?[A-Z]{2,8}[0-9]{0,2}|[1-9][0-9]?)$/;

const SUBMIT_FIELDS = new Set<string>([
  'script',
  'name',
  'partition',
  'account',
  'qos',
  'timeLimitMinutes',
  'nodes',
  'cpusPerTask',
  'memoryMB',
  'gpus',
  'workDir',
  'output',
  'error',
  'comment',
  'array',
  'dependency',
  'hold',
  'env',
]);

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function refuse(field: string, why: string): never {
  throw new SlurmSourceError('INVALID_REQUEST', `refused before anything ran: ${field} ${why}`, {
    field,
  });
}

/** A value as it may be quoted in a message: short, one line. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function matching(
  request: Record<string, unknown>,
  field: string,
  pattern: RegExp,
  hint: string,
): void {
  const value = request[field];
  if (value === undefined) return;
  if (typeof value !== 'string' || !pattern.test(value))
    refuse(field, `${show(value)} is not allowed: ${hint}`);
}

function positiveInteger(request: Record<string, unknown>, field: string): void {
  const value = request[field];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    refuse(field, `${show(value)} is not a positive integer`);
}

/** Returns the request unchanged when every field is acceptable; throws INVALID_REQUEST otherwise. */
export function validateSubmitJobRequest(input: unknown): SubmitJobRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    refuse('request', 'is not an object');
  const request = input as Record<string, unknown>;
  for (const key of Object.keys(request)) {
    if (!SUBMIT_FIELDS.has(key)) refuse(key, 'is not a known submit option');
  }

  const script = request['script'];
  if (typeof script !== 'string' || script.length === 0)
    refuse('script', 'is required (the whole batch script, as text)');
  if (!script.startsWith('#!'))
    refuse(
      'script',
      'must start with "#!" and an interpreter, like "#!/bin/bash" (sbatch refuses anything else)',
    );
  if (script.includes('\0')) refuse('script', 'contains a NUL character');
  if (Buffer.byteLength(script) > MAX_SCRIPT_BYTES)
    refuse('script', `is larger than ${MAX_SCRIPT_BYTES} bytes`);

  matching(request, 'name', NAME, 'use 1-128 letters, digits, ".", "_" or "-"');
  matching(
    request,
    'partition',
    NAME_LIST,
    'use letters, digits, ".", "_" or "-" (a comma-separated list)',
  );
  matching(request, 'account', NAME, 'use letters, digits, ".", "_" or "-"');
  matching(
    request,
    'qos',
    NAME_LIST,
    'use letters, digits, ".", "_" or "-" (a comma-separated list)',
  );
  for (const field of ['timeLimitMinutes', 'nodes', 'cpusPerTask', 'memoryMB', 'gpus'])
    positiveInteger(request, field);
  for (const field of ['workDir', 'output', 'error']) {
    matching(
      request,
      field,
      PATH,
      'use a path of letters, digits and . _ / % @ + = : , ~ - (no spaces or quotes)',
    );
    if (typeof request[field] === 'string' && request[field].length > MAX_PATH_LENGTH)
      refuse(field, `is longer than ${MAX_PATH_LENGTH} characters`);
  }
  const comment = request['comment'];
  if (comment !== undefined) {
    if (typeof comment !== 'string') refuse('comment', 'is not a string');
    if (hasControlCharacter(comment))
      refuse('comment', 'contains a control character (newline, tab, NUL, ...)');
    if (comment.length > MAX_COMMENT_LENGTH)
      refuse('comment', `is longer than ${MAX_COMMENT_LENGTH} characters`);
  }
  matching(request, 'array', ARRAY, 'use digits with , - : % (like "0-9%2" or "1,3,5")');
  matching(
    request,
    'dependency',
    DEPENDENCY,
    'use after/afterany/afterok/afternotok/aftercorr:JOBID[:JOBID...] or singleton, joined by "," or "?"',
  );
  if (request['hold'] !== undefined && typeof request['hold'] !== 'boolean')
    refuse('hold', 'is not true or false');

  const env = request['env'];
  if (env !== undefined) {
    if (typeof env !== 'object' || env === null || Array.isArray(env))
      refuse('env', 'is not an object of names to values');
    for (const [key, value] of Object.entries(env)) {
      if (!ENV_KEY.test(key))
        refuse(`env.${key}`, 'is not an environment variable name (capitals, digits and "_")');
      if (ENV_RESERVED.test(key))
        refuse(
          `env.${key}`,
          'may not be set: it changes how sbatch or the shell behave, not what the job sees',
        );
      if (typeof value !== 'string') refuse(`env.${key}`, 'is not a string');
      if (value.includes('\0')) refuse(`env.${key}`, 'contains a NUL character');
      if (value.length > MAX_ENV_VALUE_LENGTH)
        refuse(`env.${key}`, `is longer than ${MAX_ENV_VALUE_LENGTH} characters`);
    }
  }
  return input as SubmitJobRequest;
}

export function validateCancelJobRequest(input: unknown): CancelJobRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    refuse('request', 'is not an object');
  const request = input as Record<string, unknown>;
  for (const key of Object.keys(request)) {
    if (key !== 'jobId' && key !== 'signal') refuse(key, 'is not a known cancel option');
  }
  matching(request, 'jobId', JOB_ID, 'use a job id like "123" or "123_4"');
  if (request['jobId'] === undefined) refuse('jobId', 'is required');
  matching(request, 'signal', SIGNAL, 'use a signal name like "USR1" or "SIGTERM", or a number');
  return input as CancelJobRequest;
}
