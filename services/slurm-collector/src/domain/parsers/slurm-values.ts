import { expandHostList, HostListError } from '@clocktower/contracts';
import { SlurmValueError } from './slurm-output.errors.js';

/**
 * Decoding of the values Slurm prints, shared by every parser: numbers in their three JSON shapes,
 * times, durations, memory sizes, node lists, array task specs and the text placeholders for
 * "nothing". Pure and allocation-light: the JSON parsers call these once per field of 100,000 jobs.
 */

/** Slurm's "no value" and "infinite" sentinels (uint32 and uint16), printed as plain numbers by
 * the older plugins: a node that does not respond has `cpu_load: 4294967294`. */
const NO_VAL = 0xfffffffe;
const INFINITE = 0xffffffff;
/** uint64 sentinels are beyond what a double holds exactly; anything this large is one of them. */
const NO_VAL64_FLOOR = 2 ** 53;

/** Text placeholders Slurm prints for an unset value. */
const TEXT_NULLS: ReadonlySet<string> = new Set([
  '',
  '(null)',
  'N/A',
  'n/a',
  'None',
  'Unknown',
  'NONE',
  'none',
]);

/**
 * A number in any of Slurm's shapes: plain (`60`), `null`, or `{set, infinite, number}` (v0.0.39+).
 * Unset, infinite and sentinel values are null: callers that need "unlimited" apart from "unset"
 * do not exist in the normalized records.
 */
export function slurmNumber(value: unknown): number | null {
  // Fast paths first: this runs for most fields of every job.
  if (typeof value === 'number') return value < NO_VAL ? value : unlessSentinel(value);
  if (value !== null && typeof value === 'object') {
    const v = value as { set?: unknown; infinite?: unknown; number?: unknown };
    if (v.set === false || v.infinite === true) return null;
    const n = v.number;
    return typeof n === 'number' ? (n < NO_VAL ? n : unlessSentinel(n)) : null;
  }
  if (typeof value === 'string' && value !== '') return unlessSentinel(Number(value));
  return null;
}

function unlessSentinel(n: number): number | null {
  return n === NO_VAL || n === INFINITE || n >= NO_VAL64_FLOOR || !Number.isFinite(n) ? null : n;
}

/** A count that must be a non-negative integer (CPUs, nodes, MB); anything else is null. */
export function slurmCount(value: unknown): number | null {
  const n = slurmNumber(value);
  return n === null || n < 0 ? null : Math.round(n);
}

/**
 * Epoch seconds in any number shape to ISO 8601 UTC; 0 and unset mean "no time". Jobs share
 * timestamps (a burst of submissions, an array's tasks), so recent conversions are remembered in a
 * small direct-mapped table: formatting a Date is the costliest step of reading a job.
 */
export function epochToIso(value: unknown): string | null {
  const n = slurmNumber(value);
  if (n === null || n <= 0) return null;
  const slot = n & ISO_CACHE_MASK;
  if (isoCacheKeys[slot] === n) return isoCacheValues[slot]!;
  const iso = new Date(n * 1000).toISOString();
  isoCacheKeys[slot] = n;
  isoCacheValues[slot] = iso;
  return iso;
}

// 65,536 slots cover the spread of timestamps in a 100,000-job queue (hours of submissions).
const ISO_CACHE_MASK = 65_535;
const isoCacheKeys = new Float64Array(ISO_CACHE_MASK + 1);
const isoCacheValues: string[] = new Array<string>(ISO_CACHE_MASK + 1);

/** A string field, with Slurm's empty placeholders as null. */
export function textOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return TEXT_NULLS.has(value) ? null : value;
}

/** A JSON string field where only the empty string and null mean "unset" (a job may be named "None"). */
export function jsonString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Slurm's node list as printed, or null before allocation (`""`, `"None assigned"`, `"(null)"`). */
export function nodeListOrNull(value: unknown): string | null {
  if (typeof value !== 'string' || value === '' || value === 'None assigned' || value === '(null)')
    return null;
  return value;
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/**
 * A text time (`2026-11-21T16:26:07`, the cluster's local time without zone) to ISO 8601 UTC.
 * `Unknown`, `None`, `N/A` and empty are null; anything else that does not parse throws.
 */
export function localTimeToIso(text: string, timeZoneOffsetMinutes: number): string | null {
  if (TEXT_NULLS.has(text)) return null;
  const m = LOCAL_TIME.exec(text);
  if (m === null) throw new SlurmValueError(`unparseable time ${JSON.stringify(text)}`);
  const local = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  // Date.UTC rolls 30 February over to March: a field out of range shows as a changed day or hour.
  if (
    local.getUTCDate() !== +m[3]! ||
    local.getUTCHours() !== +m[4]! ||
    local.getUTCSeconds() !== +m[6]!
  ) {
    throw new SlurmValueError(`unparseable time ${JSON.stringify(text)}`);
  }
  return new Date(local.getTime() - timeZoneOffsetMinutes * 60_000).toISOString();
}

const UNLIMITED_DURATIONS: ReadonlySet<string> = new Set([
  'UNLIMITED',
  'INFINITE',
  'NOT_SET',
  'Partition_Limit',
  'INVALID',
  'N/A',
  '',
]);

/**
 * A time limit as squeue/scontrol print it (`[days-]hours:minutes:seconds`, `minutes:seconds`,
 * `minutes`) to whole minutes; `UNLIMITED`, `NOT_SET` and `Partition_Limit` are null.
 */
export function durationToMinutes(text: string): number | null {
  if (UNLIMITED_DURATIONS.has(text)) return null;
  let days = 0;
  let rest = text;
  const dash = text.indexOf('-');
  if (dash > 0) {
    days = toInt(text.slice(0, dash), text);
    rest = text.slice(dash + 1);
  }
  const parts = rest.split(':');
  let h = 0;
  let m = 0;
  let s = 0;
  if (parts.length === 3) [h, m, s] = parts.map((p) => toInt(p, text)) as [number, number, number];
  else if (parts.length === 2) [m, s] = parts.map((p) => toInt(p, text)) as [number, number];
  else if (parts.length === 1) m = toInt(parts[0]!, text);
  else throw new SlurmValueError(`unparseable duration ${JSON.stringify(text)}`);
  // A job's limit is whole minutes; seconds only appear in step limits, so round them up.
  return days * 1440 + h * 60 + m + (s > 0 ? 1 : 0);
}

/** A plain minute count as sacct's `TimelimitRaw` prints it, or its placeholders for "none". */
export function minutesOrNull(text: string): number | null {
  if (UNLIMITED_DURATIONS.has(text)) return null;
  return toInt(text, text);
}

function toInt(part: string, whole: string): number {
  if (!/^\d+$/.test(part)) throw new SlurmValueError(`unparseable number ${JSON.stringify(whole)}`);
  return Number(part);
}

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  K: 1 / 1024,
  M: 1,
  G: 1024,
  T: 1024 * 1024,
  P: 1024 ** 3,
};

/**
 * A memory size to MB: `100M`, `4G`, `1.5T`, `512K`, a bare number (MB), and the `c`/`n` suffixes
 * of older sacct (`100Mc` per CPU, `4000Mn` per node) multiplied by the counts given.
 */
export function memoryToMB(
  text: string,
  perCpuCount?: number | null,
  perNodeCount?: number | null,
): number | null {
  if (TEXT_NULLS.has(text) || text === '0?') return null;
  let s = text;
  let multiplier = 1;
  const last = s.charCodeAt(s.length - 1);
  if (last === 99 /* c */ || last === 110 /* n */) {
    const count = last === 99 ? perCpuCount : perNodeCount;
    if (count === null || count === undefined) return null;
    multiplier = count;
    s = s.slice(0, -1);
  }
  const unit = MEMORY_UNITS[s.charAt(s.length - 1)];
  const number = unit === undefined ? Number(s) : Number(s.slice(0, -1));
  if (s === '' || !Number.isFinite(number))
    throw new SlurmValueError(`unparseable memory size ${JSON.stringify(text)}`);
  return Math.round(number * (unit ?? 1) * multiplier);
}

/**
 * Expands a hostlist expression (`node[01-03,07],gpu1`) to names, with contracts' expander; its
 * error becomes the parsers' SlurmValueError so a bad list is reported like any bad value. Used
 * where Slurm hands a list of node names in compressed form (the v0.0.39+ sinfo shape); job node
 * lists stay as printed.
 */
export function expandHostlist(expression: string): string[] {
  try {
    return expandHostList(expression);
  } catch (error) {
    if (error instanceof HostListError) throw new SlurmValueError(error.message);
    throw error;
  }
}

/** Splits on a separator outside brackets and parentheses (`gpu:a100:2(S:0,1),gpu:1`). */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * A pending array's task spec as the normalized `arrayTaskId`: the throttle suffix (`3-6%2`) is
 * dropped, because Slurm prints it in some outputs and not others; a hex bitmap (`0x1C`, as sacct's
 * JSON prints the tasks not yet started) becomes the range string `2-4`.
 */
export function normalizeTaskSpec(spec: string): string {
  const percent = spec.indexOf('%');
  const s = percent >= 0 ? spec.slice(0, percent) : spec;
  return s.startsWith('0x') || s.startsWith('0X') ? bitmapToRanges(s.slice(2)) : s;
}

function bitmapToRanges(hex: string): string {
  const bits: number[] = [];
  for (let i = 0; i < hex.length; i++) {
    const nibble = parseInt(hex[hex.length - 1 - i]!, 16);
    if (Number.isNaN(nibble)) throw new SlurmValueError(`unparseable task bitmap 0x${hex}`);
    for (let b = 0; b < 4; b++) if (nibble & (1 << b)) bits.push(i * 4 + b);
  }
  const ranges: string[] = [];
  for (let i = 0; i < bits.length;) {
    let j = i;
    while (j + 1 < bits.length && bits[j + 1] === bits[j]! + 1) j++;
    ranges.push(i === j ? String(bits[i]) : `${bits[i]}-${bits[j]}`);
    i = j + 1;
  }
  return ranges.join(',');
}

/** What a job's output path pattern (`%x-%j.out`) is expanded with. */
export interface OutputPathContext {
  readonly jobId: string;
  readonly arrayJobId: string | null;
  readonly arrayTaskId: string | null;
  readonly name: string;
  readonly user: string;
  readonly nodes: string | null;
  readonly workDir: string | null;
}

/**
 * A job's stdout/stderr path as the file Slurm writes: `squeue --json` prints the pattern given to
 * sbatch (`%x-%j.out`), scontrol prints it expanded; both normalize to the expanded, absolute path.
 */
export function expandOutputPath(pattern: string | null, ctx: OutputPathContext): string | null {
  if (pattern === null || pattern === '') return null;
  let path = pattern;
  if (path.includes('%')) {
    path = path.replace(/%(\d*)([%AaJjNnstux])/g, (_m, width: string, code: string) => {
      const value = patternValue(code, ctx);
      return width === '' || !/^\d+$/.test(value) ? value : value.padStart(Number(width), '0');
    });
  }
  if (!path.startsWith('/') && ctx.workDir !== null) path = `${ctx.workDir}/${path}`;
  return path;
}

function patternValue(code: string, ctx: OutputPathContext): string {
  switch (code) {
    case '%':
      return '%';
    case 'A':
      return ctx.arrayJobId ?? ctx.jobId;
    case 'a':
      return ctx.arrayTaskId ?? '4294967294';
    case 'J':
    case 'j':
      return ctx.jobId;
    case 'N':
      return firstNode(ctx.nodes);
    case 'n':
    case 's':
    case 't':
      return '0';
    case 'u':
      return ctx.user;
    default:
      return ctx.name;
  }
}

function firstNode(nodes: string | null): string {
  if (nodes === null) return '';
  const first = splitTopLevel(nodes, ',')[0] ?? '';
  return first.includes('[') ? (expandHostlist(first)[0] ?? first) : first;
}

/** A list of names printed as a list (v0.0.40+) or comma-separated (older), sorted. */
export function stringList(value: unknown): string[] {
  let list: string[];
  if (Array.isArray(value))
    list = value.filter((v): v is string => typeof v === 'string' && v !== '');
  else if (typeof value === 'string' && value !== '' && value !== '(null)')
    list = value.split(',').filter((v) => v !== '');
  else return [];
  return list.sort();
}
