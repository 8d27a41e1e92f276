/**
 * An answer in Clockwork's own terms: its status code and its body, a JSON string
 * (`"Missing argument job_id."`, `"Authorization error."`), which ClockworkExceptionFilter sends.
 */
export class ClockworkReply extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(body);
    this.name = 'ClockworkReply';
  }
}

export const AUTHORIZATION_ERROR = 'Authorization error.';
export const JOB_NOT_FOUND = 'Job not found in database.';

export const missingArgument = (name: string): ClockworkReply =>
  new ClockworkReply(400, `Missing argument ${name}.`);

/** Python's name of a JSON value's type, as Clockwork's messages print it (`<class 'list'>`). */
export function pythonType(value: unknown): string {
  const name =
    value === null
      ? 'NoneType'
      : Array.isArray(value)
        ? 'list'
        : typeof value === 'string'
          ? 'str'
          : typeof value === 'boolean'
            ? 'bool'
            : typeof value === 'number'
              ? Number.isInteger(value)
                ? 'int'
                : 'float'
              : 'dict';
  return `<class '${name}'>`;
}
