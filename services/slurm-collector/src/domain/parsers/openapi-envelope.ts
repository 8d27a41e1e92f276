import type { RawOutput } from '../raw-output.js';
import { SlurmOutputError } from './slurm-output.errors.js';

/**
 * The envelope every Slurm JSON output shares: `meta` (plugin and version), `errors`, `warnings`
 * and one top-level array. Also what `slurmrestd` answers, so the same parsers read both.
 */

/** The newest plugin shape the parsers were written against; a later one is read as this. */
export const NEWEST_KNOWN_OPENAPI_VERSION = 'v0.0.43';

const VERSION = /v\d+\.\d+\.\d+/;

/**
 * The OpenAPI/data_parser plugin version that produced a Slurm JSON output, e.g. `v0.0.38`, read
 * from the output itself: `meta.plugin.data_parser` (23.11+: `data_parser/v0.0.40`),
 * `meta.plugins.data_parser` (23.02), `meta.plugin.type` (21.08/22.05: `openapi/v0.0.38`,
 * `openapi/dbv0.0.38`). `unknown` when the output names none.
 */
export function detectOpenApiVersion(json: unknown): string {
  if (json === null || typeof json !== 'object') return 'unknown';
  const meta = (json as { meta?: unknown }).meta;
  if (meta === null || typeof meta !== 'object') return 'unknown';
  const m = meta as { plugin?: Record<string, unknown>; plugins?: Record<string, unknown> };
  const candidates = [
    m.plugin?.data_parser,
    m.plugins?.data_parser,
    m.plugin?.type,
    m.plugins?.type,
  ];
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const match = VERSION.exec(c);
    if (match !== null) return match[0];
  }
  return 'unknown';
}

/** `v0.0.40` → 40; unknown → Infinity (read as the newest shape). */
export function openApiMinor(version: string): number {
  const match = /^v0\.0\.(\d+)$/.exec(version);
  return match === null ? Number.POSITIVE_INFINITY : Number(match[1]);
}

export interface JsonDocument {
  readonly version: string;
  readonly items: readonly unknown[];
  /** Which top-level array held the items (sinfo: `nodes` or `sinfo`). */
  readonly arrayName: string;
}

/**
 * Parses the body once and returns the first top-level array found under `arrayNames`. Slurm
 * reports its own failures (slurmdbd down, permission denied) in `errors` with an empty array:
 * that is a failed poll, not an empty cluster, so it throws.
 */
export function readJsonDocument(output: RawOutput, arrayNames: readonly string[]): JsonDocument {
  let json: unknown;
  try {
    json = JSON.parse(output.body);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new SlurmOutputError(
      output.kind,
      output.format,
      `not valid JSON (${output.body.length} bytes): ${detail}`,
      { cause },
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new SlurmOutputError(output.kind, output.format, 'top level is not a JSON object');
  }
  const version = detectOpenApiVersion(json);
  const doc = json as Record<string, unknown>;
  // 22.05's sacct --json reports a window with no job as error 9003 "Nothing found" beside an
  // empty `jobs`: an empty answer, not a failed poll.
  const errors = Array.isArray(doc.errors) ? doc.errors.filter((e) => !isNothingFound(e)) : [];
  if (errors.length > 0) {
    throw new SlurmOutputError(
      output.kind,
      output.format,
      `Slurm reported an error (${version}): ${describeSlurmError(errors[0])}`,
    );
  }
  for (const name of arrayNames) {
    const items = doc[name];
    if (Array.isArray(items)) return { version, items, arrayName: name };
  }
  throw new SlurmOutputError(
    output.kind,
    output.format,
    `no top-level ${arrayNames.map((n) => `"${n}"`).join(' or ')} array (plugin ${version})`,
  );
}

/** Slurm's ESLURM_REST_EMPTY_RESULT (slurm_errno.h). */
const NOTHING_FOUND = 9003;

function isNothingFound(error: unknown): boolean {
  return (
    error !== null &&
    typeof error === 'object' &&
    (error as Record<string, unknown>).error_number === NOTHING_FOUND
  );
}

function describeSlurmError(error: unknown): string {
  if (error === null || typeof error !== 'object') return JSON.stringify(error);
  const e = error as Record<string, unknown>;
  const text = [e.description, e.error, e.source]
    .filter((v) => typeof v === 'string' && v !== '')
    .join(': ');
  const code = e.error_number ?? e.error_code;
  const suffix = typeof code === 'number' || typeof code === 'string' ? ` (error ${code})` : '';
  return `${text || 'unnamed error'}${suffix}`;
}

/** Reads a required field of one record; a missing one fails the whole document. */
export function requireField(
  output: RawOutput,
  version: string,
  record: Record<string, unknown>,
  index: number,
  field: string,
): unknown {
  const value = record[field];
  if (value === undefined || value === null) {
    throw new SlurmOutputError(
      output.kind,
      output.format,
      `record ${index}: required field "${field}" is missing (plugin ${version}${openApiMinor(version) > openApiMinor(NEWEST_KNOWN_OPENAPI_VERSION) ? `, newer than ${NEWEST_KNOWN_OPENAPI_VERSION}: read as the newest known shape` : ''})`,
    );
  }
  return value;
}
