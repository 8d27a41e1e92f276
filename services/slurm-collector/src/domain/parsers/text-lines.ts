import type { RawOutput } from '../raw-output.js';
import { SlurmOutputError, SlurmValueError } from './slurm-output.errors.js';

/** Options of the text parsers. */
export interface ParseOptions {
  /**
   * The cluster's offset from UTC in minutes (text times are local and carry no zone): 0 for a
   * cluster that runs in UTC, 60 for CET. Ignored by the JSON parsers, whose times are epochs.
   */
  readonly timeZoneOffsetMinutes?: number;
}

/** Non-empty lines with their 1-based line numbers. A missing final newline is not an error. */
export function textLines(body: string): { line: string; number: number }[] {
  const lines: { line: string; number: number }[] = [];
  let number = 0;
  for (const raw of body.split('\n')) {
    number++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() !== '') lines.push({ line, number });
  }
  return lines;
}

/**
 * Splits a `|`-separated line into exactly `count` fields. The last field is free text (a comment)
 * and keeps any `|` it holds; fewer fields than expected means a truncated or foreign line.
 * `trailingSeparator` is for formats that end every field with `|` (sinfo `-O field:|`).
 */
export function splitFields(
  output: RawOutput,
  line: string,
  lineNumber: number,
  count: number,
  trailingSeparator = false,
): string[] {
  const body = trailingSeparator && line.endsWith('|') ? line.slice(0, -1) : line;
  const parts = body.split('|');
  if (parts.length < count || (trailingSeparator && parts.length > count)) {
    throw new SlurmOutputError(
      output.kind,
      output.format,
      `line ${lineNumber}: expected ${count} fields separated by "|", found ${parts.length}`,
    );
  }
  if (parts.length > count)
    parts.splice(count - 1, parts.length - count + 1, parts.slice(count - 1).join('|'));
  return parts;
}

/** Runs a per-line decoder, turning a value error into a SlurmOutputError naming the line. */
export function atLine<T>(output: RawOutput, lineNumber: number, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SlurmValueError) {
      throw new SlurmOutputError(
        output.kind,
        output.format,
        `line ${lineNumber}: ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}
