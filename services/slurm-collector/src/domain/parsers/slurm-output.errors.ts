import type { OutputFormat, SlurmCommandKind } from '../raw-output.js';

/**
 * Slurm printed something the parsers cannot trust: not JSON, truncated JSON, an envelope without
 * the expected array, an error reported by Slurm itself, a text line with the wrong number of
 * fields, a time that does not parse. A poll that meets it is a failed poll: the parsers never
 * return part of a malformed document.
 */
export class SlurmOutputError extends Error {
  readonly code = 'SLURM_OUTPUT_INVALID';

  constructor(
    readonly kind: SlurmCommandKind,
    readonly format: OutputFormat,
    /** What was wrong, naming the field, record index or line number. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind} ${format} output is invalid: ${reason}`, options);
    this.name = 'SlurmOutputError';
  }
}

/**
 * A value decoder found something it cannot read. Decoders know neither the command nor the line,
 * so the parser that called them rethrows it as a SlurmOutputError with that context.
 */
export class SlurmValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlurmValueError';
  }
}

/** Rethrows a decoder failure with the parser's context; anything else passes through unchanged. */
export function withContext(
  error: unknown,
  kind: SlurmCommandKind,
  format: OutputFormat,
  where: string,
): never {
  if (error instanceof SlurmOutputError) throw error;
  if (error instanceof SlurmValueError) {
    throw new SlurmOutputError(kind, format, `${where}: ${error.message}`, { cause: error });
  }
  throw error;
}
