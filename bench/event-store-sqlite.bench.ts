/*
 * SqliteEventStore against hand-written better-sqlite3 on the same table, pragmas and rows.
 *
 * The machine is shared and noisy, so the store and its baseline are measured side by side in one
 * process, taking turns at a fine grain (see append-phase.ts and read-all-phase.ts); a short
 * warm-up in throw-away files comes first so that neither side pays for the JIT. See README.md.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@clocktower/event-store';
import { jobEvents } from './fixtures/job-events.js';
import { RawEventTable, assertSameRows } from './event-store-sqlite/raw-event-table.js';
import {
  appendBatches,
  appendSingles,
  type AppendTargets,
  type Elapsed,
} from './event-store-sqlite/append-phase.js';
import {
  READ_VARIANTS,
  readAllInterleaved,
  type ReadSources,
  type ReadVariant,
} from './event-store-sqlite/read-all-phase.js';
import {
  benchTempDir,
  emitResult,
  formatRate,
  formatRatio,
  isQuickRun,
  log,
  peakRssMiB,
  printTable,
  target,
  type Figure,
} from './report.js';

const QUICK = isQuickRun();
/** Events in the batched-append phase, which read-all then reads back. */
const TOTAL_EVENTS = QUICK ? 100_000 : 1_000_000;
const BATCH_SIZE = 1_000;
/** Fewer, because every one is its own transaction. */
const SINGLE_EVENTS = QUICK ? 10_000 : 50_000;
const SINGLE_STREAMS = 10_000;
const SINGLE_CHUNK = 500;
const READ_ROUNDS = 3;
const READ_PAGE = 1_000;
const READ_SLICE = 20 * READ_PAGE;
const RATIO_TARGET = 0.5;
/** A fixed clock, so that the store writes byte-for-byte the rows the baseline writes. */
const RECORDED_AT = new Date('2025-06-02T00:00:00.000Z');

const { dir, cleanUp } = benchTempDir();

function openTargets(name: string): AppendTargets {
  return {
    store: SqliteEventStore.open({ file: join(dir, `${name}-store.db`), clock: () => RECORDED_AT }),
    raw: RawEventTable.open(join(dir, `${name}-raw.db`)),
    recordedAt: RECORDED_AT.toISOString(),
  };
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, file + suffix), { force: true });
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function perSecond(events: number, ms: number): number {
  return events / (ms / 1_000);
}

async function warmUp(): Promise<void> {
  const warm = openTargets('warm');
  await appendBatches(warm, 0, 20, BATCH_SIZE);
  await appendSingles(warm, 1_000_000, 2 * SINGLE_CHUNK, SINGLE_STREAMS, SINGLE_CHUNK);
  const file = join(dir, 'warm-store.db');
  const sources = {
    store: warm.store,
    raw: RawEventTable.open(file),
    rawParse: RawEventTable.open(file),
  };
  await readAllInterleaved(sources, 20 * BATCH_SIZE, 5 * READ_PAGE, READ_PAGE, 0);
  await warm.store.close();
  for (const table of [warm.raw, sources.raw, sources.rawParse]) table.close();
  removeDb('warm-store.db');
  removeDb('warm-raw.db');
}

async function measureReads(sources: ReadSources): Promise<Record<ReadVariant, number[]>> {
  const rates: Record<ReadVariant, number[]> = { store: [], raw: [], rawParse: [] };
  for (let round = 0; round < READ_ROUNDS; round++) {
    const pass = await readAllInterleaved(sources, TOTAL_EVENTS, READ_SLICE, READ_PAGE, round);
    for (const variant of READ_VARIANTS) rates[variant].push(pass[variant]);
    log(
      `  round ${round + 1}: ${READ_VARIANTS.map((v) => `${v} ${formatRate(pass[v])}`).join(', ')}`,
    );
    collectGarbage();
  }
  return rates;
}

async function main(): Promise<void> {
  const sample = jobEvents(0, 0, 300).map((e) => JSON.stringify(e.data).length);
  const avgDataBytes = Math.round(sample.reduce((a, b) => a + b, 0) / sample.length);
  const count = (n: number): string => n.toLocaleString('en-US');
  log(
    `${QUICK ? 'QUICK run: ' : ''}${count(TOTAL_EVENTS)} events, data ≈ ${avgDataBytes} bytes of JSON each; temp files in ${dir}`,
  );
  log('warming up…');
  await warmUp();
  collectGarbage();

  log(
    `batched appends: ${count(TOTAL_EVENTS / BATCH_SIZE)} calls × ${count(BATCH_SIZE)} events, one new stream (job-<n>) per call, store and raw alternating…`,
  );
  const primary = openTargets('main');
  const batched = await appendBatches(primary, 0, TOTAL_EVENTS / BATCH_SIZE, BATCH_SIZE);
  // The raw readers open the very file the store wrote, so all three read the same rows and pages.
  const storeFile = join(dir, 'main-store.db');
  const sources = {
    store: primary.store,
    raw: RawEventTable.open(storeFile),
    rawParse: RawEventTable.open(storeFile),
  };
  const ends = [0, TOTAL_EVENTS / 2, TOTAL_EVENTS - READ_PAGE];
  assertSameRows(sources.raw, primary.raw, ends, READ_PAGE);
  primary.raw.close();
  removeDb('main-raw.db');
  const dbMiB = Math.round(statSync(storeFile).size / 2 ** 20);
  const rssAfterAppends = peakRssMiB();
  collectGarbage();

  log(
    `read-all: ${READ_ROUNDS} rounds over the store's file (${dbMiB} MiB), the three readers taking turns every ${count(READ_SLICE)} events…`,
  );
  const reads = await measureReads(sources);
  sources.raw.close();
  sources.rawParse.close();
  await primary.store.close();
  removeDb('main-store.db');
  const rssAfterReads = peakRssMiB();

  log(
    `single appends: ${count(SINGLE_EVENTS)} calls × 1 event over ${count(SINGLE_STREAMS)} streams, store and raw alternating every ${SINGLE_CHUNK} calls…`,
  );
  const single = openTargets('single');
  const singles = await appendSingles(single, 0, SINGLE_EVENTS, SINGLE_STREAMS, SINGLE_CHUNK);
  await single.store.close();
  single.raw.close();
  const rssPeak = peakRssMiB();

  const { figures, targets } = report(batched, singles, reads);
  log(
    `peak RSS: ${rssPeak} MiB (after batched appends ${rssAfterAppends} MiB, after read-all ${rssAfterReads} MiB)`,
  );
  emitResult({
    benchmark: 'event-store-sqlite',
    quick: QUICK,
    parameters: {
      totalEvents: TOTAL_EVENTS,
      batchSize: BATCH_SIZE,
      batchedStreams: TOTAL_EVENTS / BATCH_SIZE,
      singleEvents: SINGLE_EVENTS,
      singleStreams: SINGLE_STREAMS,
      readRounds: READ_ROUNDS,
      readPage: READ_PAGE,
      readSlice: READ_SLICE,
      avgDataBytes,
      dbMiB,
    },
    figures: [
      ...figures,
      { name: 'rss.peak', value: rssPeak, unit: 'MiB' },
      { name: 'rss.afterBatchedAppends', value: rssAfterAppends, unit: 'MiB' },
      { name: 'rss.afterReadAll', value: rssAfterReads, unit: 'MiB' },
    ],
    targets,
  });
}

/** Prints the table and returns the figures and targets for BENCH_RESULT. */
function report(batched: Elapsed, singles: Elapsed, reads: Record<ReadVariant, number[]>) {
  const batchedStore = perSecond(TOTAL_EVENTS, batched.storeMs);
  const batchedRaw = perSecond(TOTAL_EVENTS, batched.rawMs);
  const singleStore = perSecond(SINGLE_EVENTS, singles.storeMs);
  const singleRaw = perSecond(SINGLE_EVENTS, singles.rawMs);
  const readStore = median(reads.store);
  const readRaw = median(reads.raw);
  const readRawParse = median(reads.rawParse);
  const targets = [
    target('append.batched.ratio', batchedStore / batchedRaw, RATIO_TARGET),
    target('readAll.ratio', readStore / readRaw, RATIO_TARGET),
  ];
  const row = (operation: string, store: number, raw: number, met?: boolean): string[] => [
    operation,
    formatRate(store),
    formatRate(raw),
    formatRatio(store / raw),
    met === undefined ? '' : `≥ ${formatRatio(RATIO_TARGET)}`,
    met === undefined ? '' : met ? 'PASS' : 'MISS',
  ];
  log('');
  printTable(
    ['operation', 'store', 'raw', 'store/raw', 'target', 'result'],
    [
      row(`append, batched (${BATCH_SIZE}/call)`, batchedStore, batchedRaw, targets[0]!.met),
      row('append, single (1/call)', singleStore, singleRaw),
      row('read-all vs raw SELECT', readStore, readRaw, targets[1]!.met),
      row('read-all vs raw SELECT + JSON.parse', readStore, readRawParse),
    ],
  );
  const rate = (name: string, value: number): Figure => ({
    name,
    value: Math.round(value),
    unit: 'events/s',
  });
  const ratio = (name: string, value: number): Figure => ({
    name,
    value: Number(value.toFixed(3)),
    unit: 'ratio',
  });
  const figures: Figure[] = [
    rate('append.batched.store', batchedStore),
    rate('append.batched.raw', batchedRaw),
    ratio('append.batched.ratio', batchedStore / batchedRaw),
    rate('append.single.store', singleStore),
    rate('append.single.raw', singleRaw),
    ratio('append.single.ratio', singleStore / singleRaw),
    rate('readAll.store', readStore),
    rate('readAll.raw', readRaw),
    rate('readAll.rawParse', readRawParse),
    ratio('readAll.ratio', readStore / readRaw),
    ratio('readAll.ratioVsRawParse', readStore / readRawParse),
    ...READ_VARIANTS.flatMap((v) => [
      rate(`readAll.${v}.min`, Math.min(...reads[v])),
      rate(`readAll.${v}.max`, Math.max(...reads[v])),
    ]),
  ];
  return { figures, targets };
}

try {
  await main();
} finally {
  cleanUp();
}
