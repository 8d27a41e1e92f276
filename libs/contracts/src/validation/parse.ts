import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ValidationFailedError, type FieldIssue } from './validation-failed.error.js';

export type ClassOf<T extends object> = new () => T;

export interface ParseOptions {
  /** Reject properties the class does not declare (inbound commands: yes; events read back: no). */
  readonly rejectUnknown?: boolean;
}

function flatten(
  errors: readonly ValidationError[],
  prefix: string,
  out: FieldIssue[],
): FieldIssue[] {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      out.push({ path, problems: Object.values(error.constraints) });
    }
    if (error.children?.length) {
      flatten(error.children, path, out);
    }
  }
  return out;
}

/**
 * Turns unknown input into an instance of `cls`, or throws ValidationFailedError naming every bad
 * field. `what` names the input in the error ("SubmitJob", "config", "event job-1@3").
 */
export function parseAs<T extends object>(
  cls: ClassOf<T>,
  input: unknown,
  what: string,
  options: ParseOptions = {},
): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationFailedError(what, [{ path: '', problems: ['must be a JSON object'] }]);
  }
  const instance = plainToInstance(cls, input, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: options.rejectUnknown ?? false,
    forbidNonWhitelisted: options.rejectUnknown ?? false,
    // A message class may declare no fields at all (GetServiceHealth): that is not an unknown value.
    forbidUnknownValues: false,
  });
  if (errors.length > 0) {
    throw new ValidationFailedError(what, flatten(errors, '', []));
  }
  return instance;
}
