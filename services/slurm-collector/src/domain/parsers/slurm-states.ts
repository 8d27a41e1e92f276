import { SlurmValueError } from './slurm-output.errors.js';

/**
 * Job and node states in every shape Slurm prints them: a string (`"RUNNING"`, v0.0.37–v0.0.39),
 * a list of base state plus flags (`["RUNNING","COMPLETING"]`, v0.0.40+), sacct's `CANCELLED by
 * 1001`, sinfo's `drained*` and `idle+drain+not_responding`, scontrol's `DOWN+NOT_RESPONDING`.
 */

/** Base job states; every other word in a state list is a flag. */
const JOB_BASE_STATES: ReadonlySet<string> = new Set([
  'PENDING',
  'RUNNING',
  'SUSPENDED',
  'COMPLETED',
  'CANCELLED',
  'FAILED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'OUT_OF_MEMORY',
]);

/** Spellings that differ between commands (squeue `%T` is the long form, sacct may abbreviate). */
const JOB_STATE_ALIASES: Readonly<Record<string, string>> = {
  COMPLETE: 'COMPLETED',
  CANCELED: 'CANCELLED',
  OOM: 'OUT_OF_MEMORY',
  NF: 'NODE_FAIL',
};

/**
 * The job's base state in capitals. A list keeps its base state and drops the flags
 * (`["RUNNING","COMPLETING"]` → `RUNNING`); a string keeps what Slurm printed (squeue text and the
 * v0.0.37–v0.0.39 JSON print a flag such as `COMPLETING` in place of the base state, and nothing
 * else says which base state is under it).
 */
export function jobBaseState(value: unknown): string {
  if (Array.isArray(value)) {
    let first: string | null = null;
    for (const item of value) {
      if (typeof item !== 'string' || item === '') continue;
      const s = normalizeJobWord(item);
      if (JOB_BASE_STATES.has(s)) return s;
      first ??= s;
    }
    if (first === null) throw new SlurmValueError('empty job state');
    return first;
  }
  if (typeof value === 'string' && value !== '') {
    // sacct prints `CANCELLED by 1001`; an older sacct truncates with a trailing `+`.
    const space = value.indexOf(' ');
    const word = space > 0 ? value.slice(0, space) : value;
    return normalizeJobWord(word.endsWith('+') ? word.slice(0, -1) : word);
  }
  throw new SlurmValueError(`job state ${JSON.stringify(value)} is neither a string nor a list`);
}

function normalizeJobWord(word: string): string {
  const upper = word.toUpperCase();
  return JOB_STATE_ALIASES[upper] ?? upper;
}

/** Base node states; every other word is a flag. */
const NODE_BASE_STATES: ReadonlySet<string> = new Set([
  'IDLE',
  'DOWN',
  'ALLOCATED',
  'MIXED',
  'ERROR',
  'FUTURE',
  'UNKNOWN',
]);

/** sinfo's long and short state names that combine a base state and a flag. */
const NODE_STATE_WORDS: Readonly<Record<string, readonly [string, ...string[]]>> = {
  ALLOC: ['ALLOCATED'],
  MIX: ['MIXED'],
  DRAIN: ['IDLE', 'DRAIN'],
  DRAINED: ['IDLE', 'DRAIN'],
  DRNG: ['MIXED', 'DRAIN'],
  // sinfo's `draining` means DRAIN with jobs still running: MIXED or ALLOCATED, it does not say
  // which; `StateComplete` (the field the collector asks for) does.
  DRAINING: ['MIXED', 'DRAIN'],
  COMP: ['ALLOCATED', 'COMPLETING'],
  COMPLETING: ['ALLOCATED', 'COMPLETING'],
  FAIL: ['DOWN', 'FAIL'],
  FAILING: ['ALLOCATED', 'FAIL'],
  MAINT: ['IDLE', 'MAINTENANCE'],
  RESV: ['IDLE', 'RESERVED'],
  RESERVED: ['IDLE', 'RESERVED'],
  PLND: ['IDLE', 'PLANNED'],
  PLANNED: ['IDLE', 'PLANNED'],
  INVAL: ['UNKNOWN', 'INVALID_REG'],
  UNK: ['UNKNOWN'],
  NPC: ['ALLOCATED', 'PERFCTRS'],
  BLOCKED: ['IDLE', 'BLOCKED'],
  POWER_DOWN: ['IDLE', 'POWER_DOWN'],
  POWERED_DOWN: ['IDLE', 'POWERED_DOWN'],
  POWERING_DOWN: ['IDLE', 'POWERING_DOWN'],
  POWERING_UP: ['IDLE', 'POWERING_UP'],
  REBOOT_ISSUED: ['IDLE', 'REBOOT_ISSUED'],
  REBOOT_REQUESTED: ['IDLE', 'REBOOT_REQUESTED'],
};

/** The one-character suffixes sinfo appends to a state (`down*`, `idle~`). */
const NODE_STATE_SUFFIXES: Readonly<Record<string, string>> = {
  '*': 'NOT_RESPONDING',
  '~': 'POWERED_DOWN',
  '#': 'POWERING_UP',
  '%': 'POWERING_DOWN',
  '!': 'POWER_DOWN',
  $: 'MAINTENANCE',
  '@': 'REBOOT_REQUESTED',
  '^': 'REBOOT_ISSUED',
  '-': 'PLANNED',
};

export interface NodeState {
  readonly state: string;
  /** Capitals, sorted, without duplicates. */
  readonly flags: string[];
}

/**
 * A node's base state and flags from any shape: `("idle", ["DRAIN"])` (v0.0.37/38), `["IDLE",
 * "DRAIN"]` (v0.0.40+), `IDLE+DRAIN` (scontrol), `idle+drain+not_responding` (sinfo
 * StateComplete), `drained*` (sinfo StateLong).
 */
export function nodeState(state: unknown, stateFlags?: unknown): NodeState {
  const words: string[] = [];
  if (Array.isArray(state)) {
    for (const w of state) if (typeof w === 'string' && w !== '') words.push(w);
  } else if (typeof state === 'string' && state !== '') {
    for (const w of state.split('+')) if (w !== '') words.push(w);
  } else {
    throw new SlurmValueError(`node state ${JSON.stringify(state)} is neither a string nor a list`);
  }
  if (Array.isArray(stateFlags))
    for (const f of stateFlags) if (typeof f === 'string' && f !== '') words.push(f);
  if (words.length === 0) throw new SlurmValueError('empty node state');

  let base: string | null = null;
  const flags = new Set<string>();
  for (const raw of words) {
    let word = raw.toUpperCase();
    const suffix = NODE_STATE_SUFFIXES[word.charAt(word.length - 1)];
    if (suffix !== undefined && word.length > 1) {
      flags.add(suffix);
      word = word.slice(0, -1);
    }
    if (NODE_BASE_STATES.has(word)) {
      base ??= word;
      continue;
    }
    const combined = NODE_STATE_WORDS[word];
    if (combined !== undefined && words.length === 1) {
      base ??= combined[0];
      for (let i = 1; i < combined.length; i++) flags.add(combined[i]!);
      continue;
    }
    if (word === 'ALLOC' || word === 'MIX') base ??= word === 'ALLOC' ? 'ALLOCATED' : 'MIXED';
    else flags.add(word === 'DRAINED' || word === 'DRAINING' ? 'DRAIN' : word);
  }
  return { state: base ?? 'UNKNOWN', flags: [...flags].sort() };
}
