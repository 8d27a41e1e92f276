import { FINAL_JOB_STATES } from '@clocktower/contracts';
import { SlurmValueError } from './slurm-output.errors.js';
import { slurmNumber } from './slurm-values.js';

/**
 * Exit codes in the three shapes Slurm prints them, and the rules that keep a wrong one out of the
 * record:
 * - a raw wait status (`squeue --json` up to v0.0.39: 768 is `exit 3`, 9 is SIGKILL);
 * - an object (`sacct --json`, and `squeue --json` from v0.0.40): `{status, return_code, signal}`
 *   with the status a string or a list and the numbers plain or `{set, infinite, number}`;
 * - text `code:signal` (sacct `ExitCode`, scontrol `ExitCode=3:0`).
 */

export interface ExitStatus {
  /** The script's exit status when it ended normally. */
  readonly exitCode: number | null;
  /** The signal that ended it. */
  readonly signal: number | null;
}

const NONE: ExitStatus = { exitCode: null, signal: null };

/** A POSIX wait status as Slurm stores a job's exit code. */
export function decodeWaitStatus(status: number | null): ExitStatus {
  if (status === null || status < 0) return NONE;
  const signal = status & 0x7f;
  return signal === 0
    ? { exitCode: (status >> 8) & 0xff, signal: null }
    : { exitCode: null, signal };
}

/** Any JSON exit code: a number (wait status) or the verbose object. */
export function decodeJsonExitCode(value: unknown): ExitStatus {
  if (value === null || value === undefined) return NONE;
  if (typeof value === 'number') return decodeWaitStatus(slurmNumber(value));
  if (typeof value !== 'object')
    throw new SlurmValueError(`exit code ${JSON.stringify(value)} is not a number or an object`);
  const v = value as {
    status?: unknown;
    return_code?: unknown;
    signal?: unknown;
    set?: unknown;
    number?: unknown;
  };
  if (v.status === undefined && ('number' in v || 'set' in v))
    return decodeWaitStatus(slurmNumber(v));
  const status = Array.isArray(v.status) ? v.status : [v.status];
  const signal = decodeSignal(v.signal);
  if (status.includes('SIGNALED') || status.includes('CORE_DUMPED'))
    return { exitCode: null, signal };
  if (status.includes('INVALID') || status.includes('PENDING')) return NONE;
  const code = slurmNumber(v.return_code);
  return { exitCode: code, signal: signal !== null && signal > 0 ? signal : null };
}

function decodeSignal(value: unknown): number | null {
  if (value === null || typeof value !== 'object') return null;
  const s = value as { id?: unknown; signal_id?: unknown };
  const n = slurmNumber(s.id ?? s.signal_id);
  return n === null || n <= 0 ? null : n;
}

/** Text `code:signal` (`3:0`, `0:9`). */
export function decodeTextExitCode(text: string): ExitStatus {
  if (text === '' || text === 'N/A') return NONE;
  const colon = text.indexOf(':');
  const code = Number(colon < 0 ? text : text.slice(0, colon));
  const signal = colon < 0 ? 0 : Number(text.slice(colon + 1));
  if (!Number.isInteger(code) || !Number.isInteger(signal))
    throw new SlurmValueError(`unparseable exit code ${JSON.stringify(text)}`);
  return signal > 0 ? { exitCode: null, signal } : { exitCode: code, signal: null };
}

/**
 * The exit status worth recording for a job in this state. A job that has not ended has none
 * (squeue prints 0 for it). A job that ended in anything but COMPLETED with exit 0 and no signal
 * did not exit 0: that is sacct's JSON losing the real code (Slurm 22.05 prints `exit 3` as
 * SUCCESS/0 beside state FAILED) or a cancellation/timeout that recorded nothing, so the code is
 * unknown (null) rather than a wrong 0.
 */
export function exitStatusForState(state: string, status: ExitStatus): ExitStatus {
  if (state !== 'COMPLETING' && !FINAL_JOB_STATES.has(state)) return NONE;
  if (
    state !== 'COMPLETED' &&
    state !== 'COMPLETING' &&
    status.exitCode === 0 &&
    status.signal === null
  )
    return NONE;
  return status;
}
