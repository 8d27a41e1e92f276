/** A query the read model cannot answer as asked: the caller's fault, reported naming the field. */
export class InvalidQueryError extends Error {
  readonly code: string = 'INVALID_QUERY';
  constructor(
    readonly field: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${field}: ${problem}`, options);
    this.name = 'InvalidQueryError';
  }
}

/** A `cursor` that this read model did not hand out (corrupt, truncated, or for another query). */
export class InvalidCursorError extends InvalidQueryError {
  override readonly code = 'INVALID_CURSOR';
  constructor(problem: string, options?: ErrorOptions) {
    super('cursor', problem, options);
    this.name = 'InvalidCursorError';
  }
}
