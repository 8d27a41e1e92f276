/*
 * The jobs read model rebuilt from a store of 1,000,000 events, through the projection's own
 * rebuild (what RebuildProjection and the rebuild CLI run), beside the store's raw read-all rate in
 * the same run (issue 4, "Performance"). Read-all is the floor: no rebuild reads the store faster
 * than `for await` over readAll() doing nothing, so rebuild / read-all says how much of the time
 * is the folding and the read model's writes. See bench/README.md (`job-projection.rebuild`).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@clocktower/event-store';
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
} from '../../../bench/report.js';
import { checkReadBack, fillStores } from './rebuild/fill-store.js';
import { readAllPass, readSink, type ReadAllPass } from './rebuild/read-all-pass.js';
import { timedRebuild, type RebuildPass } from './rebuild/timed-rebuild.js';

const QUICK = isQuickRun();
const TOTAL_EVENTS = QUICK ? 100_000 : 1_000_000;
/** The first events again, in a store of their own, to warm both sides up on. */
const WARM_EVENTS = 20_000;
const ROUNDS = 3;
const SEED = 20_250_602;
/** Target from issue 4. */
const RATE_FLOOR = 100_000;

const { dir, cleanUp } = benchTempDir();
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rateOf = (pass: { events: number; ms: number }): number => pass.events / (pass.ms / 1_000);

async function main(): Promise<void> {
  log(
    `${QUICK ? 'QUICK run: ' : ''}${count(TOTAL_EVENTS)} events of synthetic history, seed ${SEED}; ${ROUNDS} rebuilds, each between two read-all passes; temp files in ${dir}`,
  );
  const storeFile = join(dir, 'events.db');
  const warmFile = join(dir, 'warm-events.db');
  log("writing the history into the store's file (its rows, with SQL in large transactions)…");
  const fill = await fillStores(storeFile, warmFile, TOTAL_EVENTS, WARM_EVENTS, SEED);
  const store = SqliteEventStore.open({ file: storeFile });
  const warmStore = SqliteEventStore.open({ file: warmFile });
  await checkReadBack(store, fill.samples);
  const storeMiB = Math.round(statSync(storeFile).size / 2 ** 20);
  log(
    `  ${count(fill.events)} events (${count(fill.jobs)} jobs, ${count(fill.streams)} streams) in ${(fill.ms / 1_000).toFixed(1)} s, ${formatRate(rateOf(fill))} (generated and written); store ${count(storeMiB)} MiB; the store reads back ${fill.samples.size} sampled events as written`,
  );
  log(
    `  by type: ${Object.entries(fill.byType)
      .sort((a, b) => b[1] - a[1])
      .map(([t, n]) => `${t} ${count(n)}`)
      .join(', ')}`,
  );

  log(`warming up on the first ${count(WARM_EVENTS)} events (a store of their own)…`);
  await readAllPass(warmStore);
  await timedRebuild(warmStore, join(dir, 'warm-model', 'projection-jobs.db'), 'warm-up');
  await warmStore.close();
  collectGarbage();

  const reads: ReadAllPass[] = [];
  const rebuilds: RebuildPass[] = [];
  const read = async (): Promise<void> => {
    const pass = await readAllPass(store);
    if (pass.events !== fill.events)
      throw new Error(`read-all read ${pass.events} events of ${fill.events}`);
    reads.push(pass);
    log(`  read-all: ${formatRate(rateOf(pass))} (${(pass.ms / 1_000).toFixed(1)} s)`);
    collectGarbage();
  };
  await read();
  for (let round = 0; round < ROUNDS; round++) {
    const pass = await timedRebuild(
      store,
      join(dir, 'model', 'projection-jobs.db'),
      `rebuild ${round + 1}`,
    );
    if (pass.events !== fill.events)
      throw new Error(`rebuild ${round + 1} folded ${pass.events} events of ${fill.events}`);
    rebuilds.push(pass);
    log(
      `  rebuild ${round + 1}: ${formatRate(rateOf(pass))} (${(pass.ms / 1_000).toFixed(1)} s), ${count(pass.parked)} parked, model ${count(pass.modelBytes / 2 ** 20)} MiB`,
    );
    if (pass.parked > 0)
      log(`  WARNING: the rebuild parked ${pass.parked} events: it measured failures, not folds`);
    collectGarbage();
    await read();
  }
  await store.close();

  // Each rebuild against the mean of the read-all passes either side of it, then the median.
  const ratios = rebuilds.map(
    (pass, i) => rateOf(pass) / ((rateOf(reads[i]!) + rateOf(reads[i + 1]!)) / 2),
  );
  const rebuildRate = median(rebuilds.map(rateOf));
  const readRate = median(reads.map(rateOf));
  const ratio = median(ratios);
  const rateTarget = target('rebuild.eventsPerSecond', Math.round(rebuildRate), RATE_FLOOR);
  const last = rebuilds.at(-1)!;
  log('');
  printTable(
    ['pass', 'events/s', 'min', 'max', 'rebuild ÷ read-all', 'target', 'result'],
    [
      [
        'read-all (for await, one field)',
        formatRate(readRate),
        formatRate(Math.min(...reads.map(rateOf))),
        formatRate(Math.max(...reads.map(rateOf))),
        '',
        '',
        '',
      ],
      [
        'rebuild (ProjectionRebuild)',
        formatRate(rebuildRate),
        formatRate(Math.min(...rebuilds.map(rateOf))),
        formatRate(Math.max(...rebuilds.map(rateOf))),
        formatRatio(ratio),
        `≥ ${formatRate(RATE_FLOOR)}`,
        rateTarget.met ? 'PASS' : 'MISS',
      ],
    ],
  );
  const rssPeak = peakRssMiB();
  log(
    `peak RSS ${count(rssPeak)} MiB; read model ${count(last.modelBytes / 2 ** 20)} MiB; store ${count(storeMiB)} MiB; parked ${last.parked}`,
  );
  emitResult({
    benchmark: 'job-projection.rebuild',
    quick: QUICK,
    parameters: {
      totalEvents: fill.events,
      jobs: fill.jobs,
      streams: fill.streams,
      seed: SEED,
      rounds: ROUNDS,
      warmEvents: WARM_EVENTS,
      storeMiB,
    },
    figures: [
      { name: 'fill.eventsPerSecond', value: Math.round(rateOf(fill)), unit: 'events/s' },
      { name: 'fill.seconds', value: Number((fill.ms / 1_000).toFixed(1)), unit: 's' },
      { name: 'readAll.eventsPerSecond', value: Math.round(readRate), unit: 'events/s' },
      { name: 'rebuild.eventsPerSecond', value: Math.round(rebuildRate), unit: 'events/s' },
      {
        name: 'rebuild.min',
        value: Math.round(Math.min(...rebuilds.map(rateOf))),
        unit: 'events/s',
      },
      {
        name: 'rebuild.max',
        value: Math.round(Math.max(...rebuilds.map(rateOf))),
        unit: 'events/s',
      },
      {
        name: 'rebuild.seconds',
        value: Number((median(rebuilds.map((r) => r.ms)) / 1_000).toFixed(2)),
        unit: 's',
      },
      { name: 'rebuild.ratioToReadAll', value: Number(ratio.toFixed(3)), unit: 'ratio' },
      { name: 'rebuild.parked', value: last.parked, unit: 'events' },
      { name: 'readModel.size', value: Math.round(last.modelBytes / 2 ** 20), unit: 'MiB' },
      { name: 'rss.peak', value: rssPeak, unit: 'MiB' },
    ],
    targets: [rateTarget],
  });
  if (readSink < 0) log('unreachable');
}

try {
  await main();
} finally {
  cleanUp();
}
