import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { HISTORY_INDEXES } from './read-model.schema.js';

/** What the loader's file adds to its model's name. */
export const HISTORY_LOADER_SUFFIX = '-history';

/** A row's values, one after another (a history row's in HISTORY_COLUMNS order, batch-writer.ts). */
export type HistoryCell = string | number | null;

/** A table the loader fills: created in its file, its rows inserted with these statements. */
export interface LoadedTable {
  readonly name: string;
  readonly create: string;
  readonly insertOne: string;
  /** The same for chunkRows rows at once (fewer native calls). */
  readonly insertChunk: string;
  readonly columns: number;
  readonly chunkRows: number;
}

/** What the loader's thread is given (workerData). */
interface LoaderSetup {
  readonly sqlite: string;
  readonly file: string;
  readonly tables: readonly LoadedTable[];
  readonly indexes: string;
}

type LoaderMessage =
  | { readonly kind: 'rows'; readonly cells: readonly HistoryCell[][] }
  | { readonly kind: 'indexes' }
  | { readonly kind: 'finish' };
type LoaderReply =
  | { readonly kind: 'inserted' }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly error: string };

/**
 * Batches handed over and not inserted yet past which the main thread waits (ready()): the loader
 * inserts three times faster than the main thread folds, so this is only reached on a slow disk,
 * where it keeps memory to a few batches (a few MB each) instead of the whole history.
 */
export const HISTORY_LOADER_MAX_BATCHES = 8;

/**
 * The loader's thread. It is started from this function's text (Worker `eval`), so that the same
 * code runs from the compiled service and from the TypeScript sources the tests load: it may use
 * nothing but its argument (`require`) and workerData.
 */
function loaderThread(load: NodeJS.Require): void {
  const threads = load('node:worker_threads') as typeof import('node:worker_threads');
  const fs = load('node:fs') as typeof import('node:fs');
  const parentPort = threads.parentPort;
  const setup = threads.workerData as LoaderSetup;
  const Database = load(setup.sqlite) as typeof import('better-sqlite3');
  const port = parentPort!;
  const reply = (message: LoaderReply): void => port.postMessage(message);
  let db: import('better-sqlite3').Database | undefined;
  try {
    db = new Database(setup.file);
    // Like the bulk-loaded model itself: the file is thrown away if anything fails.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -65536');
    for (const table of setup.tables) db.exec(table.create);
  } catch (error) {
    reply({ kind: 'failed', error: String((error as Error).message ?? error) });
    return;
  }
  const open = db;
  const statements = setup.tables.map((table) => ({
    one: open.prepare(table.insertOne),
    chunk: open.prepare(table.insertChunk),
    columns: table.columns,
    perChunk: table.columns * table.chunkRows,
  }));
  const insert = open.transaction((tables: readonly HistoryCell[][]) => {
    tables.forEach((cells, t) => {
      const { one, chunk, columns, perChunk } = statements[t]!;
      let i = 0;
      for (; i + perChunk <= cells.length; i += perChunk) chunk.run(cells.slice(i, i + perChunk));
      for (; i < cells.length; i += columns) one.run(cells.slice(i, i + columns));
    });
  });
  let failed = false;
  port.on('message', (message: LoaderMessage) => {
    if (failed) return;
    try {
      if (message.kind === 'rows') {
        insert(message.cells);
        reply({ kind: 'inserted' });
      } else if (message.kind === 'indexes') {
        open.exec(setup.indexes);
      } else {
        open.close();
        // Synced here, while the main thread still writes its jobs: the model's own fsync, once
        // the other tables are copied in, then has only those to write.
        const fd = fs.openSync(setup.file, 'r');
        try {
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        reply({ kind: 'done' });
      }
    } catch (error) {
      failed = true;
      reply({ kind: 'failed', error: String((error as Error).message ?? error) });
    }
  });
}

/**
 * A bulk load's history, written on the second core: the main thread folds the events and hands
 * each batch's history rows over (one message per batch, with the rows of the other tables it
 * fills, `tables`: the ones only ever written while folding); this thread inserts them into a file
 * of its own and, at the end, builds the history's indexes there while the main thread writes its
 * last job rows and builds the jobs indexes. That file then becomes the model, the main thread's
 * other tables copied into it (SqliteReadModel.finishBulkLoad): the history, the larger part, is
 * never copied. The rows are the ones the main thread would have inserted, in the same order, with
 * the same statement text.
 */
export class HistoryLoader {
  readonly file: string;
  private readonly worker: Worker;
  private failure: Error | undefined;
  private readonly settled: Promise<void>;
  private finished = false;
  /** Batches handed over and not inserted yet, and who waits for fewer. */
  private outstanding = 0;
  private waiters: (() => void)[] = [];

  constructor(
    modelFile: string,
    /** The tables it fills; send() takes their rows in this order. */
    readonly tables: readonly LoadedTable[],
  ) {
    this.file = HistoryLoader.fileOf(modelFile);
    rmSync(this.file, { force: true });
    const setup: LoaderSetup = {
      sqlite: createRequire(import.meta.url).resolve('better-sqlite3'),
      file: this.file,
      tables,
      indexes: HISTORY_INDEXES,
    };
    this.worker = new Worker(`(${loaderThread.toString()})(require);`, {
      eval: true,
      workerData: setup,
    });
    this.settled = new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => {
        this.failure ??= error;
        reject(this.failure);
        this.release();
      };
      this.worker.on('message', (reply: LoaderReply) => {
        if (reply.kind === 'inserted') this.inserted();
        else if (reply.kind === 'done') resolve();
        else fail(new Error(`the history loader failed: ${reply.error}`));
      });
      this.worker.on('error', (error: Error) => fail(error));
      this.worker.on('exit', (code) =>
        fail(new Error(`the history loader stopped (exit ${code})`)),
      );
    });
    // Seen by send() and finish(); never an unhandled rejection meanwhile.
    this.settled.catch(() => undefined);
  }

  /** The loader's file beside a model's (ReadModelFiles removes it with the model's). */
  static fileOf(modelFile: string): string {
    return `${modelFile}${HISTORY_LOADER_SUFFIX}`;
  }

  /**
   * Hands a batch's rows over, one array per table in `tables` order, inserted in one transaction
   * (the arrays are the loader's from now on).
   */
  send(cells: readonly HistoryCell[][]): void {
    if (this.failure) throw this.failure;
    if (cells.every((rows) => rows.length === 0)) return;
    this.outstanding++;
    this.worker.postMessage({ kind: 'rows', cells } satisfies LoaderMessage);
  }

  /**
   * Undefined when another batch may be handed over now; else settles once the loader has caught
   * up to HISTORY_LOADER_MAX_BATCHES (or failed: send() then says how).
   */
  ready(): Promise<void> | undefined {
    if (this.outstanding < HISTORY_LOADER_MAX_BATCHES || this.failure) return undefined;
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private inserted(): void {
    this.outstanding--;
    if (this.outstanding < HISTORY_LOADER_MAX_BATCHES) this.release();
  }

  private release(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Asks for the history's indexes, built before the rows sent after this call are inserted. */
  buildIndexes(): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage({ kind: 'indexes' } satisfies LoaderMessage);
  }

  /** Settles once every row sent is inserted and the file is closed and synced. */
  finish(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.finished) {
      this.finished = true;
      this.worker.postMessage({ kind: 'finish' } satisfies LoaderMessage);
    }
    return this.settled;
  }

  /** Stops the thread (if still running) and deletes its file. */
  async dispose(): Promise<void> {
    await this.worker.terminate();
    await rm(this.file, { force: true });
  }
}
