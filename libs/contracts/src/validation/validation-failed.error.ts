/** One bad field: its dotted path from the root of the input and what is wrong with it. */
export interface FieldIssue {
  readonly path: string;
  readonly problems: readonly string[];
}

/**
 * Input that does not have the shape its class declares. Names every bad field, so an API can
 * answer 400 with all of them and a consumer can park the message with a reason.
 */
export class ValidationFailedError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    readonly subject: string,
    readonly issues: readonly FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(
      `invalid ${subject}: ` +
        issues.map((i) => `${i.path || '(root)'}: ${i.problems.join(', ')}`).join('; '),
      options,
    );
    this.name = 'ValidationFailedError';
  }
}
