/**
 * The protocol between bench/run.js and a benchmark, and how a benchmark prints its figures.
 *
 * In:  env BENCH_QUICK=1 asks for a smoke run with smaller sizes.
 * Out: readable text on stdout for people, plus one line `BENCH_RESULT <json>` per result (a
 *      BenchResult on a single line). run.js keeps those lines out of the echoed output and writes
 *      them to bench/results/<name>.json, so runs can be compared by a script later.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RESULT_PREFIX = 'BENCH_RESULT ';

export interface Figure {
  /** Dotted and stable across runs, e.g. `append.batched.store`. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** A figure that should reach a floor. Missing it is a finding to report, not a crash. */
export interface Target {
  readonly name: string;
  readonly value: number;
  readonly atLeast: number;
  readonly met: boolean;
}

export interface BenchResult {
  readonly benchmark: string;
  readonly quick: boolean;
  /** Sizes and settings the figures depend on. */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  readonly figures: readonly Figure[];
  readonly targets: readonly Target[];
}

export function isQuickRun(): boolean {
  return process.env.BENCH_QUICK === '1';
}

export function emitResult(result: BenchResult): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

export function target(name: string, value: number, atLeast: number): Target {
  return { name, value, atLeast, met: value >= atLeast };
}

/** The process's peak resident set so far, in MiB (the kernel's high-water mark, never lower). */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function formatRatio(ratio: number): string {
  return ratio.toFixed(2);
}

/** Prints an aligned text table; cells that look like numbers are right-aligned. */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = /^[-+]?[\d,.]+(\/s| MiB| s)?$/;
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (numeric.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** One line of progress on stdout. */
export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A temporary directory for a benchmark's files, removed on exit, Ctrl-C or SIGTERM. */
export function benchTempDir(): { readonly dir: string; readonly cleanUp: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'clocktower-bench-'));
  const cleanUp = (): void => rmSync(dir, { recursive: true, force: true });
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      cleanUp();
      process.exit(code);
    });
  }
  return { dir, cleanUp };
}
