// Runs the benchmarks one after another, never in parallel: the machine is small and shared, and
// two benchmarks at once would measure each other. Each runs in its own process so that one
// cannot warm up, leak memory into, or crash another. See bench/README.md.
//
//   node bench/run.js [--quick] [name-filter ...]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, globSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';

const root = dirname(import.meta.dirname);
const RESULT_PREFIX = 'BENCH_RESULT ';
const PATTERNS = ['bench/**/*.bench.ts', 'libs/*/bench/*.bench.ts', 'services/*/bench/*.bench.ts'];

function parseArgs(argv) {
  const args = { quick: false, filters: [] };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run bench -- [--quick] [name-filter ...]   (see bench/README.md)');
      process.exit(0);
    } else if (arg.startsWith('-')) {
      console.error(`bench: unknown option ${arg}`);
      process.exit(2);
    } else args.filters.push(arg);
  }
  return args;
}

/** bench/a/b.bench.ts → a.b; libs/event-store/bench/x.bench.ts → event-store.x */
function nameOf(source) {
  const parts = source.replace(/\.bench\.ts$/, '').split('/');
  const rest = parts[0] === 'bench' ? parts.slice(1) : [parts[1], ...parts.slice(3)];
  return rest.join('.');
}

function discover(filters) {
  return globSync(PATTERNS, { cwd: root })
    .filter((source) => !source.startsWith('bench/dist/') && !source.includes('node_modules/'))
    .sort()
    .map((source) => ({
      name: nameOf(source),
      source,
      compiled: join(root, 'bench/dist', source.replace(/\.ts$/, '.js')),
    }))
    .filter(
      (b) =>
        filters.length === 0 || filters.some((f) => b.name.includes(f) || b.source.includes(f)),
    );
}

function machine() {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return {
    cpu,
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/**
 * Compiles every benchmark at once. Type errors in one benchmark must not keep the others from
 * running: tsc still emits, the errors are printed, and only the benchmarks whose own files
 * (x.bench.ts and the folder x/ beside it) have errors are marked as failed. Returns those files.
 */
function compile() {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'bench/tsconfig.json')], {
    cwd: root,
    encoding: 'utf8',
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status === 0) return [];
  process.stderr.write(output);
  console.error(
    'bench: type errors above (libs and services resolve to their dist/: is `npm run build` done?); running what tsc emitted',
  );
  return [...output.matchAll(/^(\S+?\.ts)\(\d+,\d+\): error/gm)].map((m) =>
    relative(root, join(root, m[1])),
  );
}

function hasTypeErrors(bench, filesWithErrors) {
  const stem = bench.source.replace(/\.bench\.ts$/, '');
  return filesWithErrors.some((file) => file === bench.source || file.startsWith(`${stem}/`));
}

/** Runs one benchmark, echoing its output as it comes and collecting its BENCH_RESULT lines. */
function run(bench, quick) {
  return new Promise((resolve) => {
    const started = performance.now();
    const results = [];
    // No --enable-source-maps: measured on event-store-sqlite, it cost the store's read-all a
    // third of its rate and 90 MiB of RSS while leaving the raw baselines alone, which skews the
    // very ratios the benchmarks exist for. NODE_OPTIONS=--enable-source-maps to debug a crash.
    const child = spawn(process.execPath, ['--expose-gc', bench.compiled], {
      cwd: root,
      env: { ...process.env, BENCH_QUICK: quick ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    running = child;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (!line.startsWith(RESULT_PREFIX)) return void console.log(line);
      try {
        results.push(JSON.parse(line.slice(RESULT_PREFIX.length)));
      } catch (error) {
        console.error(
          `bench: ${bench.name} printed a BENCH_RESULT line that is not JSON: ${error.message}`,
        );
      }
    });
    child.on('error', (error) =>
      console.error(`bench: could not start ${bench.name}: ${error.message}`),
    );
    child.on('close', (code, signal) => {
      running = undefined;
      const seconds = (performance.now() - started) / 1000;
      const ok = code === 0;
      resolve({
        ...bench,
        ok,
        status: ok
          ? 'ok'
          : interrupted
            ? 'interrupted'
            : signal
              ? `FAILED (${signal})`
              : `FAILED (exit ${code})`,
        seconds,
        results,
      });
    });
  });
}

// Ctrl-C reaches the benchmark too (same process group) and it removes its temp files; a kill of
// this process alone is passed on. Either way the summary of what ran is still printed.
let running;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    running?.kill(signal);
  });
}

function targetsOf(results) {
  const targets = results.flatMap((r) => r.targets ?? []);
  return targets.length === 0 ? '' : `${targets.filter((t) => t.met).length}/${targets.length} met`;
}

function writeResults(outcome, quick, host, startedAt) {
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${outcome.name}.json`);
  const { name, source, status, seconds, results } = outcome;
  const record = {
    benchmark: name,
    source,
    status,
    seconds: Number(seconds.toFixed(1)),
    quick,
    startedAt,
    machine: host,
    results,
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return relative(root, file);
}

function printSummary(outcomes) {
  const rows = outcomes.map((o) => [o.name, o.status, o.seconds.toFixed(1), targetsOf(o.results)]);
  const headers = ['benchmark', 'status', 'seconds', 'targets'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(
    `\n${['summary', line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')}`,
  );
}

const args = parseArgs(process.argv.slice(2));
const host = machine();
console.log(
  `machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, Node ${host.node}, ${host.os}, load ${host.loadAverage.join(' ')}`,
);
const benches = discover(args.filters);
if (benches.length === 0) {
  console.error(
    `bench: no benchmark matches ${args.filters.join(' ') || '(any)'}; looked for ${PATTERNS.join(', ')}`,
  );
  process.exit(1);
}
const filesWithErrors = compile();

const outcomes = [];
for (const [i, bench] of benches.entries()) {
  console.log(
    `\n=== [${i + 1}/${benches.length}] ${bench.name} (${bench.source})${args.quick ? ' --quick' : ''} ===`,
  );
  const startedAt = new Date().toISOString();
  const typeErrors = hasTypeErrors(bench, filesWithErrors);
  const outcome = existsSync(bench.compiled)
    ? await run(bench, args.quick)
    : { ...bench, ok: false, status: 'FAILED (not compiled)', seconds: 0, results: [] };
  if (typeErrors && outcome.ok)
    Object.assign(outcome, { ok: false, status: 'FAILED (type errors)' });
  const file = writeResults(outcome, args.quick, host, startedAt);
  console.log(
    `--- ${bench.name}: ${outcome.status} in ${outcome.seconds.toFixed(1)} s; results in ${file}`,
  );
  outcomes.push(outcome);
  if (interrupted) break;
}
printSummary(outcomes);
process.exitCode = interrupted ? 130 : outcomes.every((o) => o.ok) ? 0 : 1;
