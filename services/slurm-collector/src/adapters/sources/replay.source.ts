import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputFormat, RawOutput, SlurmCommandKind } from '../../domain/raw-output.js';
import { SlurmSourceError, type SlurmSource } from './slurm-source.port.js';
import { errorCode, errorMessage } from './error-message.js';

/**
 * The files a replay directory may hold — one directory per poll, each file what one command
 * printed (any subset; unknown files are ignored):
 *
 *   squeue.json         squeue --json
 *   sacct.json          sacct --json ...
 *   sinfo.json          sinfo --json
 *   squeue.txt          squeue with the text field list (domain/parsers/slurm-commands.ts)
 *   sacct.txt           sacct --parsable2 with the text field list
 *   sinfo.txt           sinfo --Node with the text field list
 *   scontrol-jobs.txt   scontrol show job --oneliner
 *   scontrol-nodes.txt  scontrol show node --oneliner
 *   observed-at.txt     optional: when the outputs were taken (ISO 8601); else the directory's mtime
 */
export const REPLAY_FILES: readonly {
  readonly file: string;
  readonly kind: SlurmCommandKind;
  readonly format: OutputFormat;
}[] = [
  { file: 'squeue.json', kind: 'squeue', format: 'json' },
  { file: 'sacct.json', kind: 'sacct', format: 'json' },
  { file: 'sinfo.json', kind: 'sinfo', format: 'json' },
  { file: 'squeue.txt', kind: 'squeue', format: 'text' },
  { file: 'sacct.txt', kind: 'sacct', format: 'text' },
  { file: 'sinfo.txt', kind: 'sinfo', format: 'text' },
  { file: 'scontrol-jobs.txt', kind: 'scontrol-jobs', format: 'text' },
  { file: 'scontrol-nodes.txt', kind: 'scontrol-nodes', format: 'text' },
];
export const OBSERVED_AT_FILE = 'observed-at.txt';

export interface ReplayPoll {
  readonly dir: string;
  /** In REPLAY_FILES order, every output the directory holds, all with the directory's observedAt. */
  readonly outputs: readonly RawOutput[];
}

export interface ReplaySourceOptions {
  /** The directories, one per poll, in the order they are replayed. */
  readonly dirs: readonly string[];
  /** Which file queue()/nodes()/accounting() prefer when a directory has both. Default json. */
  readonly format?: OutputFormat;
}

/**
 * Saved outputs played back: for the replay command, tests, and users who want to see what
 * Clocktower makes of their cluster's output. Read-only: submit and cancel are refused.
 *
 * `polls()` yields every directory in order with all of its outputs (a fresh pass at each call).
 *
 * As a SlurmSource it keeps a cursor over the directories:
 * - `queue()` advances the cursor to the next directory (the first call to the first one) and
 *   returns its squeue output;
 * - `nodes()` and `accounting()` read the cursor's directory without moving it (before the first
 *   `queue()`, the first directory); `accounting()` ignores its window: the saved sacct output is
 *   whatever window it was taken for;
 * - a kind the directory lacks fails with COMMAND_FAILED (like a command that failed that poll);
 * - `queue()` after the last directory fails with COMMAND_FAILED "replay finished"; `finished`
 *   then reads true.
 * The preferred format is read first, the other one if the directory only has that.
 */
export class ReplaySource implements SlurmSource {
  readonly description: string;
  readonly simulated = false;
  private readonly dirs: readonly string[];
  private readonly format: OutputFormat;
  /** Index of the current directory; -1 before the first queue(). */
  private cursor = -1;

  constructor(options: ReplaySourceOptions) {
    if (options.dirs.length === 0) {
      throw new SlurmSourceError('INVALID_REQUEST', 'replay needs at least one directory', {
        field: 'dirs',
      });
    }
    this.dirs = [...options.dirs];
    this.format = options.format ?? 'json';
    this.description = `replay of ${this.dirs.length} director${this.dirs.length === 1 ? 'y' : 'ies'}`;
  }

  get finished(): boolean {
    return this.cursor >= this.dirs.length - 1;
  }

  async *polls(): AsyncIterable<ReplayPoll> {
    for (const dir of this.dirs) yield { dir, outputs: await readReplayDirectory(dir) };
  }

  async queue(): Promise<RawOutput> {
    if (this.finished) {
      throw new SlurmSourceError(
        'COMMAND_FAILED',
        `replay finished: all ${this.dirs.length} directories were read`,
      );
    }
    this.cursor++;
    return this.read('squeue');
  }

  nodes(): Promise<RawOutput> {
    return this.read('sinfo');
  }

  accounting(): Promise<RawOutput> {
    return this.read('sacct');
  }

  async submit(): Promise<{ jobId: string }> {
    throw new SlurmSourceError('INVALID_REQUEST', 'replay is read-only: it cannot submit jobs', {
      field: 'source',
    });
  }

  async cancel(): Promise<void> {
    throw new SlurmSourceError('INVALID_REQUEST', 'replay is read-only: it cannot cancel jobs', {
      field: 'source',
    });
  }

  async close(): Promise<void> {}

  private async read(kind: SlurmCommandKind): Promise<RawOutput> {
    const dir = this.dirs[Math.max(this.cursor, 0)] ?? '';
    const at = await observedAt(dir);
    const candidates = REPLAY_FILES.filter((f) => f.kind === kind).sort(
      (a, b) => Number(b.format === this.format) - Number(a.format === this.format),
    );
    for (const candidate of candidates) {
      const body = await readIfPresent(join(dir, candidate.file));
      if (body !== undefined) return { kind, format: candidate.format, body, observedAt: at };
    }
    throw new SlurmSourceError(
      'COMMAND_FAILED',
      `replay directory ${dir} has no ${candidates.map((c) => c.file).join(' or ')}`,
    );
  }
}

/** Every known output in one replay directory, in REPLAY_FILES order. */
export async function readReplayDirectory(dir: string): Promise<RawOutput[]> {
  const at = await observedAt(dir);
  const outputs: RawOutput[] = [];
  for (const { file, kind, format } of REPLAY_FILES) {
    const body = await readIfPresent(join(dir, file));
    if (body !== undefined) outputs.push({ kind, format, body, observedAt: at });
  }
  return outputs;
}

async function observedAt(dir: string): Promise<string> {
  const text = await readIfPresent(join(dir, OBSERVED_AT_FILE));
  if (text !== undefined) {
    const value = text.trim();
    const time = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time)) {
      throw new SlurmSourceError(
        'INVALID_REQUEST',
        `${join(dir, OBSERVED_AT_FILE)} holds ${JSON.stringify(value.slice(0, 60))}, not an ISO 8601 time like 2024-05-01T12:00:00Z`,
        { field: OBSERVED_AT_FILE },
      );
    }
    return new Date(time).toISOString();
  }
  try {
    return (await stat(dir)).mtime.toISOString();
  } catch (error) {
    throw new SlurmSourceError(
      'INVALID_REQUEST',
      `replay directory ${dir} cannot be read: ${errorMessage(error)}`,
      { cause: error, field: 'dirs' },
    );
  }
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (errorCode(error) === 'ENOTDIR') {
      throw new SlurmSourceError('INVALID_REQUEST', `${path}: the replay path is not a directory`, {
        cause: error,
        field: 'dirs',
      });
    }
    throw new SlurmSourceError('COMMAND_FAILED', `cannot read ${path}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
