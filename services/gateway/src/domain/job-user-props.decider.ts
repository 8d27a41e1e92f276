import {
  JobUserPropsDeleted,
  JobUserPropsSet,
  MAX_JOB_USER_PROPS_LENGTH,
  evolveJobUserProps,
  pythonJsonLength,
  type JobUserProps,
} from '@clocktower/contracts';

/** Whose props on which job. */
export interface JobUserPropsRef {
  readonly cluster: string;
  readonly jobId: string;
  readonly userId: string;
}

export type JobUserPropsCommand =
  | { readonly type: 'SetJobUserProps'; readonly updates: Readonly<Record<string, unknown>> }
  | { readonly type: 'DeleteJobUserProps'; readonly keys: readonly string[] };

export type DecidedJobUserPropsEvent =
  | { readonly type: typeof JobUserPropsSet.type; readonly data: JobUserPropsSet }
  | { readonly type: typeof JobUserPropsDeleted.type; readonly data: JobUserPropsDeleted };

/** The props would pass Clockwork's limit; the message is Clockwork's own. */
export class JobUserPropsTooLargeError extends Error {
  readonly code = 'JOB_USER_PROPS_TOO_LARGE';

  constructor(previousLength: number, updatesLength: number) {
    super(
      `Too huge job-user props: maximum ${megabytes(MAX_JOB_USER_PROPS_LENGTH)} Mbytes ` +
        `(previous: ${megabytes(previousLength)} Mbytes, updates: ${megabytes(updatesLength)} Mbytes)`,
    );
    this.name = 'JobUserPropsTooLargeError';
  }
}

/** `size / 2**20` as Clockwork prints it: Python's float repr (`2.0`, `0.5`, `1.9073486328125e-06`). */
function megabytes(size: number): string {
  return pythonFloatRepr(size / (1024 * 1024));
}

/**
 * Python's repr of a finite float: the shortest digits that read back the same (JavaScript finds
 * the same ones), in fixed notation for decimal exponents -4 to 15, else `d.ddde±XX`.
 */
export function pythonFloatRepr(value: number): string {
  const [mantissa = '0', exp = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exp);
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${fraction}e${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole.slice(0, exponent + 1)}.${fraction === '' ? '0' : fraction}`;
}

/**
 * What a change to a user's props on a job records, given the props now: a set merges (one key
 * deep, like Clockwork) and must leave the props within MAX_JOB_USER_PROPS_LENGTH measured as
 * Clockwork does; a delete records only the keys that are there. Nothing to change: no event.
 */
export function decideJobUserProps(
  ref: JobUserPropsRef,
  current: JobUserProps,
  command: JobUserPropsCommand,
): DecidedJobUserPropsEvent[] {
  if (command.type === 'SetJobUserProps') {
    if (Object.keys(command.updates).length === 0) return [];
    const data = { ...ref, updates: { ...command.updates } };
    const next = evolveJobUserProps(current, { type: JobUserPropsSet.type, data });
    if (pythonJsonLength(next) > MAX_JOB_USER_PROPS_LENGTH) {
      throw new JobUserPropsTooLargeError(
        pythonJsonLength(current),
        pythonJsonLength(command.updates),
      );
    }
    return [{ type: JobUserPropsSet.type, data }];
  }
  const keys = [...new Set(command.keys)].filter((key) => Object.hasOwn(current, key));
  return keys.length === 0 ? [] : [{ type: JobUserPropsDeleted.type, data: { ...ref, keys } }];
}
