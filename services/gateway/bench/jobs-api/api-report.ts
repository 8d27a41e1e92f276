import { formatRatio, log, printTable, type Figure } from '../../../../bench/report.js';
import { median, type LoadRun } from './load-stats.js';

export interface Measured {
  readonly run: LoadRun;
  /** CPU milliseconds per request, by process (gateway, projection, nats, load). */
  readonly cpuPerRequestMs: Readonly<Record<string, number>>;
}

export interface EndpointRounds {
  readonly label: string;
  /** One per round, in round order. */
  readonly saturated: Measured[];
  readonly paced: Measured[];
}

export interface ReportInput {
  /** The static endpoint first, then the jobs queries. */
  readonly rounds: readonly EndpointRounds[];
  readonly rateFloor: number;
  readonly p50BudgetMs: number;
  readonly p99BudgetMs: number;
}

interface Floor {
  readonly name: string;
  readonly value: number;
  readonly atLeast: number;
}

const ms = (value: number): string => value.toFixed(2);
const rate = (value: number): string => `${Math.round(value).toLocaleString('en-US')}/s`;
const us = (valueMs: number): string =>
  Number.isNaN(valueMs) ? '-' : String(Math.round(valueMs * 1_000));
const round3 = (value: number): number => Number(value.toFixed(3));

function medianOf(runs: readonly Measured[], pick: (run: LoadRun) => number): number {
  return median(runs.map((m) => pick(m.run)));
}

/** Each round's ratio of a jobs query to the static endpoint, then the median of the rounds. */
function ratioMedian(
  jobs: readonly Measured[],
  base: readonly Measured[],
  pick: (run: LoadRun) => number,
): number {
  return median(jobs.map((m, i) => pick(m.run) / pick(base[i]!.run)));
}

/** Prints the tables; returns the figures and the targets (floors) for BENCH_RESULT. */
export function printApiReport(input: ReportInput): { figures: Figure[]; targets: Floor[] } {
  const [base] = input.rounds;
  if (!base) throw new Error('no endpoint was measured');
  const figures: Figure[] = [];
  const targets: Floor[] = [];
  const figure = (name: string, value: number, unit: string): void => {
    figures.push({
      name,
      value: unit === 'ms' || unit === 'ratio' ? round3(value) : Math.round(value),
      unit,
    });
  };

  const saturatedRows = input.rounds.map((e) => {
    const rps = medianOf(e.saturated, (r) => r.requestsPerSecond);
    const p50 = medianOf(e.saturated, (r) => r.p50Ms);
    const p99 = medianOf(e.saturated, (r) => r.p99Ms);
    figure(`${e.label}.saturated.requestsPerSecond`, rps, 'requests/s');
    figure(`${e.label}.saturated.p50`, p50, 'ms');
    figure(`${e.label}.saturated.p99`, p99, 'ms');
    const ratio =
      e === base ? 1 : ratioMedian(e.saturated, base.saturated, (r) => r.requestsPerSecond);
    if (e !== base) {
      figure(`${e.label}.saturated.rateRatio`, ratio, 'ratio');
      targets.push({
        name: `${e.label}.requestsPerSecond`,
        value: Math.round(rps),
        atLeast: input.rateFloor,
      });
    }
    return [
      e.label,
      rate(rps),
      ms(p50),
      ms(p99),
      formatRatio(ratio),
      e === base ? '' : rps >= input.rateFloor ? 'PASS' : 'MISS',
    ];
  });
  log('');
  log(
    `saturating load (closed loop, medians of ${base.saturated.length} rounds): target ≥ ${rate(input.rateFloor)} for the jobs queries`,
  );
  printTable(['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'req/s ÷ healthz', 'result'], saturatedRows);

  const pacedRows = input.rounds.map((e) => {
    const achieved = medianOf(e.paced, (r) => r.requestsPerSecond);
    const p50 = medianOf(e.paced, (r) => r.p50Ms);
    const p99 = medianOf(e.paced, (r) => r.p99Ms);
    const max = medianOf(e.paced, (r) => r.maxMs);
    const unanswered = medianOf(e.paced, (r) => r.unanswered);
    figure(`${e.label}.paced.requestsPerSecond`, achieved, 'requests/s');
    figure(`${e.label}.paced.unanswered`, unanswered, 'requests');
    figure(`${e.label}.paced.p50`, p50, 'ms');
    figure(`${e.label}.paced.p99`, p99, 'ms');
    figure(`${e.label}.paced.max`, max, 'ms');
    let verdict = '';
    if (e !== base) {
      figure(
        `${e.label}.paced.p50Ratio`,
        ratioMedian(e.paced, base.paced, (r) => r.p50Ms),
        'ratio',
      );
      // report.ts's targets are floors: "p50 under 5 ms" is "5 ms / p50 ≥ 1", likewise p99.
      const p50Floor = {
        name: `${e.label}.budgetOverP50`,
        value: round3(input.p50BudgetMs / p50),
        atLeast: 1,
      };
      const p99Floor = {
        name: `${e.label}.budgetOverP99`,
        value: round3(input.p99BudgetMs / p99),
        atLeast: 1,
      };
      targets.push(p50Floor, p99Floor);
      verdict = `${p50Floor.value >= 1 ? 'PASS' : 'MISS'} / ${p99Floor.value >= 1 ? 'PASS' : 'MISS'}`;
    }
    return [
      e.label,
      rate(achieved),
      String(Math.round(unanswered)),
      ms(p50),
      ms(p99),
      ms(max),
      e === base ? '' : formatRatio(ratioMedian(e.paced, base.paced, (r) => r.p50Ms)),
      verdict,
    ];
  });
  log('');
  log(
    `paced load (open loop at ${rate(input.rateFloor)}, latency from when each request was due): targets p50 < ${input.p50BudgetMs} ms, p99 < ${input.p99BudgetMs} ms`,
  );
  printTable(
    [
      'endpoint',
      'answered',
      'unanswered',
      'p50 ms',
      'p99 ms',
      'max ms',
      'p50 ÷ healthz',
      'p50 / p99',
    ],
    pacedRows,
  );

  const processes = Object.keys(base.saturated[0]?.cpuPerRequestMs ?? {});
  const cpuRows = input.rounds.map((e) => [
    e.label,
    ...processes.map((p) => {
      const value = median(e.saturated.map((m) => m.cpuPerRequestMs[p] ?? Number.NaN));
      if (!Number.isNaN(value)) figure(`${e.label}.cpuPerRequest.${p}`, value * 1_000, 'µs');
      return us(value);
    }),
  ]);
  log('');
  log(
    'CPU time per request under saturating load, µs (medians; "load" is this process, the load generator):',
  );
  printTable(['endpoint', ...processes], cpuRows);
  return { figures, targets };
}
