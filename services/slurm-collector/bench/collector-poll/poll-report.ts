import { formatRatio, printTable, type Figure } from '../../../../bench/report.js';
import type { HeapSizes } from './heap-sizes.js';
import type { Spread, StoreRun } from './poll-stats.js';

export interface PollReport {
  readonly sqlite: StoreRun;
  readonly memory: StoreRun;
  readonly heap: HeapSizes;
  readonly ratioTarget: number;
  readonly budgetMs: number;
  readonly met: { readonly ratio: boolean; readonly budget: boolean };
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (n: number): string => `${count(n)} MiB`;
const seconds = (ms: number): string => `${(ms / 1_000).toFixed(2)} s`;

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function printReport(report: PollReport): void {
  write('');
  printFirstPolls(report);
  write('');
  printSteadyPolls(report);
  const { heap } = report;
  write(
    `heap a queue poll holds at once, whatever the RSS: body ${count(heap.bodyMiB)} MiB + JSON.parse's document ${count(heap.documentMiB)} MiB + records ${count(heap.recordsMiB)} MiB = ${mib(heap.bodyMiB + heap.documentMiB + heap.recordsMiB)} at least`,
  );
  write('');
  printTargets(report);
  write('');
  const s = report.sqlite.steady;
  const records = s.parse.median - s.jsonParse.median;
  write(
    `where the SQLite poll's ${count(s.total.median)} ms go (medians): JSON.parse of the bodies ≈ ${count(s.jsonParse.median)}, ` +
      `records from the parsed JSON ≈ ${count(records)} (parse − JSON.parse alone), diff ${count(s.diff.median)}, append + fold ${count(s.append.median)}. ` +
      `JSON.parse alone takes ${formatRatio(s.jsonParse.median / report.budgetMs)} of the ${seconds(report.budgetMs)} budget`,
  );
}

function printFirstPolls({ sqlite, memory }: PollReport): void {
  printTable(
    [
      'first poll (empty state)',
      'parse ms',
      'diff ms',
      'append ms',
      'total ms',
      'events',
      'appended',
      'peak RSS',
      'heap held after',
    ],
    [sqlite, memory].map((run) => {
      const w = run.first.whole;
      return [
        run.label,
        count(w.parseMs),
        count(w.diffMs),
        count(w.appendMs),
        count(w.totalMs),
        count(w.events),
        `${count(w.events / (w.appendMs / 1_000))}/s`,
        mib(run.first.peakRssMiB),
        mib(run.heldMiB),
      ];
    }),
  );
}

function printSteadyPolls({ sqlite, memory }: PollReport): void {
  const s = sqlite.steady;
  const m = memory.steady;
  const ms = (label: string, a: Spread, b: Spread): string[] => [
    label,
    count(a.median),
    count(a.best),
    count(b.median),
    count(b.best),
  ];
  const one = (label: string, a: string, b: string): string[] => [label, a, '', b, ''];
  printTable(
    [
      `steady-state poll, ${sqlite.rounds.length} rounds`,
      'SQLite median',
      'best',
      'in-memory median',
      'best',
    ],
    [
      ms('parse: body → records (ms)', s.parse, m.parse),
      ms('diff: records → decisions (ms)', s.diff, m.diff),
      ms('append + fold (ms)', s.append, m.append),
      ms('whole poll (ms)', s.total, m.total),
      ms('  of which the queue poll (ms)', s.queue, m.queue),
      ms('  of which the nodes poll (ms)', s.nodes, m.nodes),
      ms('JSON.parse of the same bytes alone (ms)', s.jsonParse, m.jsonParse),
      [
        'whole poll / JSON.parse',
        formatRatio(s.ratio.median),
        formatRatio(s.ratio.best),
        formatRatio(m.ratio.median),
        formatRatio(m.ratio.best),
      ],
      one('events appended per poll', count(s.events), count(m.events)),
      one('RSS before the poll (after a full GC)', mib(s.rssStartMiB), mib(m.rssStartMiB)),
      one('peak RSS during the poll', mib(s.peakRssMiB), mib(m.peakRssMiB)),
    ],
  );
}

function printTargets(report: PollReport): void {
  const s = report.sqlite.steady;
  const verdict = (met: boolean): string => (met ? 'PASS' : 'MISS');
  printTable(
    ['target (SQLite store, medians)', 'measured', 'target', 'result'],
    [
      [
        'whole poll / JSON.parse',
        formatRatio(s.ratio.median),
        `≤ ${formatRatio(report.ratioTarget)}`,
        verdict(report.met.ratio),
      ],
      [
        'whole poll',
        seconds(s.total.median),
        `< ${seconds(report.budgetMs)}`,
        verdict(report.met.budget),
      ],
    ],
  );
}

/** One store's figures for BENCH_RESULT; names are stable so result files compare by script. */
export function storeFigures(key: string, run: StoreRun): Figure[] {
  const ms = (name: string, value: number): Figure => ({
    name,
    value: Number(value.toFixed(1)),
    unit: 'ms',
  });
  const miB = (name: string, value: number): Figure => ({ name, value, unit: 'MiB' });
  const ratio = (name: string, value: number): Figure => ({
    name,
    value: Number(value.toFixed(3)),
    unit: 'ratio',
  });
  const s = run.steady;
  const f = run.first.whole;
  return [
    ms(`firstPoll.${key}.parse`, f.parseMs),
    ms(`firstPoll.${key}.diff`, f.diffMs),
    ms(`firstPoll.${key}.append`, f.appendMs),
    ms(`firstPoll.${key}.total`, f.totalMs),
    { name: `firstPoll.${key}.events`, value: f.events, unit: 'events' },
    miB(`firstPoll.${key}.peakRss`, run.first.peakRssMiB),
    miB(`firstPoll.${key}.heapHeld`, run.heldMiB),
    ...(['parse', 'diff', 'append', 'total', 'queue', 'nodes', 'jsonParse'] as const).flatMap(
      (step) => [
        ms(`steady.${key}.${step}.median`, s[step].median),
        ms(`steady.${key}.${step}.best`, s[step].best),
      ],
    ),
    ratio(`steady.${key}.ratio.median`, s.ratio.median),
    ratio(`steady.${key}.ratio.best`, s.ratio.best),
    { name: `steady.${key}.events.median`, value: s.events, unit: 'events' },
    miB(`steady.${key}.rssBeforePoll`, s.rssStartMiB),
    miB(`steady.${key}.peakRss`, s.peakRssMiB),
  ];
}
