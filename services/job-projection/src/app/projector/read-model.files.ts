import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { HISTORY_LOADER_SUFFIX } from '../../adapters/store/history-loader.js';
import { StoreKind, type PlatformConfig } from '@clocktower/platform';

export const DEFAULT_PROJECTION_FILE = 'projection-jobs.db';
/** SQLite's name for a database that lives only in this process. */
export const IN_MEMORY_FILE = ':memory:';

/** Who is writing into a projection's files: the service, or a rebuild run from the command line. */
export interface ProjectionLock {
  readonly pid: number;
  readonly host: string;
  readonly role: 'service' | 'cli';
  readonly startedAt: string;
}

/**
 * Where the jobs read model lives on disk. A rebuild writes a fresh file beside the active one and
 * switches to it, so the active file's name changes: `<base>.active` (a one-line pointer, replaced
 * atomically by rename) says which file is in use, so a restart after a rebuild opens the rebuilt
 * one. Without a pointer the base file is active.
 */
export class ReadModelFiles {
  private readonly stem: string;

  constructor(readonly baseFile: string) {
    this.stem = baseFile === IN_MEMORY_FILE ? '' : basename(baseFile, extname(baseFile));
  }

  /**
   * The projection's file from the configuration: CLOCKTOWER_PROJECTION_DB, else
   * `<CLOCKTOWER_DATA>/projection-jobs.db`. With the in-memory event store the read model is kept
   * in memory too: a model that outlived its store would skip the new store's first events.
   */
  static fromConfig(
    config: Pick<PlatformConfig, 'dataDir' | 'store'> & {
      readonly projectionDb?: string | undefined;
    },
  ): ReadModelFiles {
    if (config.store === StoreKind.Memory) return new ReadModelFiles(IN_MEMORY_FILE);
    return new ReadModelFiles(
      resolve(config.projectionDb ?? join(config.dataDir, DEFAULT_PROJECTION_FILE)),
    );
  }

  get inMemory(): boolean {
    return this.baseFile === IN_MEMORY_FILE;
  }

  private get pointerFile(): string {
    return `${this.baseFile}.active`;
  }

  private get lockFile(): string {
    return `${this.baseFile}.lock`;
  }

  /** The file queries should be answered from (creating its directory if need be). */
  activeFile(): string {
    if (this.inMemory) return IN_MEMORY_FILE;
    mkdirSync(dirname(this.baseFile), { recursive: true });
    if (!existsSync(this.pointerFile)) return this.baseFile;
    const name = readFileSync(this.pointerFile, 'utf8').trim();
    // Only a file name: the data directory may have moved since the pointer was written.
    return name === '' ? this.baseFile : join(dirname(this.baseFile), basename(name));
  }

  /** A new file for a rebuild, never one in use. */
  freshFile(now: Date): string {
    if (this.inMemory) return IN_MEMORY_FILE;
    const stamp = now.toISOString().replace(/[-:.]/g, '');
    let file = join(dirname(this.baseFile), `${this.stem}.rebuild-${stamp}.db`);
    for (let n = 2; existsSync(file); n++) {
      file = join(dirname(this.baseFile), `${this.stem}.rebuild-${stamp}-${n}.db`);
    }
    return file;
  }

  /** Makes `file` the active one: written beside, then renamed, so a crash leaves old or new. */
  activate(file: string): void {
    if (this.inMemory) return;
    const temp = `${this.pointerFile}.${process.pid}.tmp`;
    writeFileSync(temp, `${basename(file)}\n`);
    renameSync(temp, this.pointerFile);
  }

  /**
   * Deletes a read model's file with SQLite's companions (WAL, shared memory, journal) and the
   * history file a bulk load writes beside it (HistoryLoader).
   */
  remove(file: string): void {
    if (file === IN_MEMORY_FILE) return;
    for (const suffix of ['', '-wal', '-shm', '-journal', HISTORY_LOADER_SUFFIX])
      rmSync(`${file}${suffix}`, { force: true });
  }

  /** Rebuild files left by a rebuild that died before switching over. */
  orphans(): string[] {
    if (this.inMemory) return [];
    const dir = dirname(this.baseFile);
    const active = basename(this.activeFile());
    const prefix = `${this.stem}.rebuild-`;
    return readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && name.endsWith('.db') && name !== active)
      .map((name) => join(dir, name));
  }

  lock(role: ProjectionLock['role'], now: Date): void {
    if (this.inMemory) return;
    const lock: ProjectionLock = {
      pid: process.pid,
      host: hostname(),
      role,
      startedAt: now.toISOString(),
    };
    writeFileSync(this.lockFile, `${JSON.stringify(lock)}\n`);
  }

  /** Removes the lock if this process holds it. */
  unlock(): void {
    if (this.readLock()?.pid === process.pid) rmSync(this.lockFile, { force: true });
  }

  readLock(): ProjectionLock | undefined {
    if (this.inMemory || !existsSync(this.lockFile)) return undefined;
    try {
      return JSON.parse(readFileSync(this.lockFile, 'utf8')) as ProjectionLock;
    } catch {
      return undefined;
    }
  }

  /** A lock held by another live process of this host (another host's cannot be checked). */
  heldElsewhere(): ProjectionLock | undefined {
    const lock = this.readLock();
    if (!lock || lock.pid === process.pid) return undefined;
    if (lock.host !== hostname()) return lock;
    try {
      process.kill(lock.pid, 0);
      return lock;
    } catch (error) {
      // EPERM: alive but someone else's; ESRCH: gone, the lock is stale.
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? lock : undefined;
    }
  }
}
