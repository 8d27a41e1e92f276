/*
 * GET /api/v1/jobs with two filters and a page of 50, through HTTP and NATS, on a read model of
 * 1,000,000 jobs, under concurrent load, beside GET /healthz of the same gateway in the same run
 * (issue 4, "Performance"). /healthz is the floor: every request pays the HTTP server, Nest's
 * routing and a JSON body; jobs / healthz says how much the query path (auth, validation, NATS,
 * the projection's SQLite query, the page's JSON joined once and passed through) costs on top.
 * See bench/README.md (`gateway.jobs-api`).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { JobsReadModelSummary } from '../../../bench/fixtures/jobs-read-model-summary.js';
import {
  benchTempDir,
  emitResult,
  isQuickRun,
  log,
  peakRssMiB,
  target,
  type Figure,
} from '../../../bench/report.js';
import { printApiReport, type EndpointRounds, type Measured } from './jobs-api/api-report.js';
import type { LoadRun } from './jobs-api/load-stats.js';
import { pacedLoad } from './jobs-api/paced-load.js';
import { cpuMs, ownCpuMs, peakRssMiBOf } from './jobs-api/process-usage.js';
import { saturatingLoad, type Target } from './jobs-api/saturating-load.js';
import { buildJobsReadModel } from './jobs-api/jobs-read-model.js';
import { startServiceStack, type ServiceStack } from './jobs-api/service-stack.js';
import { HIGH_THROUGHPUT_V8_FLAGS, tuneServiceRuntime } from '@clocktower/platform';
import type { PageCacheStats, ProjectionStatus } from '@clocktower/contracts';

// The load generator receives the same 40 KB answers as the gateway: with V8's defaults it paused
// for a full collection several times a second (see SERVICE_V8_FLAGS), and a load generator that
// pauses delays the answers it times. It runs with the gateway's flags, and the paced generator in
// a thread with a small young generation (paced-load.ts).
tuneServiceRuntime(HIGH_THROUGHPUT_V8_FLAGS);

const QUICK = isQuickRun();
const JOBS = QUICK ? 50_000 : 1_000_000;
const SEED = 20_250_602;
const PAGE = 50;
const CONNECTIONS = 16;
const RUN_SECONDS = QUICK ? 3 : 10;
const WARMUP_SECONDS = QUICK ? 1 : 3;
const PACED_LEAD_IN_SECONDS = QUICK ? 1 : 3;
const ROUNDS = 3;
/** Targets from issue 4. */
const RATE_FLOOR = 1_500;
const P50_BUDGET_MS = 5;
const P99_BUDGET_MS = 25;

interface Phase {
  readonly title: string;
  /** Appended to each endpoint's label and figure names ('' for the default configuration). */
  readonly suffix: string;
  readonly projectionEnv: Readonly<Record<string, string>>;
  /** Whether job-projection must report its page cache on (checked after the rounds). */
  readonly cacheOn: boolean;
}

/** The service as it ships (page cache on), then with the cache off: the same queries, the same model. */
const PHASES: readonly Phase[] = [
  {
    title: 'page cache on (the default): each query repeated, as a polling dashboard asks it',
    suffix: '',
    projectionEnv: {},
    cacheOn: true,
  },
  {
    title:
      'page cache off (CLOCKTOWER_PAGE_CACHE_MB=0): every request walks SQLite and encodes its page',
    suffix: '.uncached',
    projectionEnv: { CLOCKTOWER_PAGE_CACHE_MB: '0' },
    cacheOn: false,
  },
];

interface PhaseResult {
  readonly phase: Phase;
  readonly rounds: EndpointRounds[];
  readonly childPeaks: { readonly gateway: number; readonly projection: number };
  readonly cache: PageCacheStats;
  readonly nats: 'private' | 'shared';
}

const { dir, cleanUp } = benchTempDir();
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

interface PageReply {
  readonly items?: readonly unknown[];
  readonly total?: number;
}

/** Every jobs query must answer 200 with a full page and the total the builder counted. */
async function checkQueries(stack: ServiceStack, summary: JobsReadModelSummary): Promise<void> {
  for (const query of summary.queries) {
    const response = await fetch(`${stack.gatewayUrl}/api/v1/jobs?${query.search}`, {
      headers: { authorization: `Bearer ${stack.apiKey}` },
    });
    const text = await response.text();
    const body = JSON.parse(text) as PageReply;
    if (
      response.status !== 200 ||
      body.items?.length !== query.limit ||
      body.total !== query.total
    ) {
      throw new Error(
        `GET /api/v1/jobs?${query.search} answered ${response.status} with ${body.items?.length} items of ${body.total} (expected 200, ${query.limit} items of ${query.total}): ${text.slice(0, 500)}`,
      );
    }
    log(
      `  ${query.name}: ${query.description} → 200, ${query.limit} of ${count(query.total)} jobs, ${count(text.length)} bytes`,
    );
  }
}

/** A failed or short answer under load voids the run: its latencies would be of something else. */
function assertClean(run: LoadRun, minBytes: number): void {
  if (run.non2xx > 0 || run.errors > 0 || run.completed === 0 || run.minBytes < minBytes) {
    throw new Error(
      `${run.label}: ${run.non2xx} non-2xx answers, ${run.errors} errors, ${run.completed} answers, smallest 2xx body ${run.minBytes} bytes (a full answer has at least ${minBytes}): the run is void${run.errorSamples.length > 0 ? `; errors: ${run.errorSamples.join('; ')}` : ''}`,
    );
  }
}

async function measure(
  stack: ServiceStack,
  load: () => Promise<LoadRun>,
  minBytes: number,
): Promise<Measured> {
  const pids = {
    gateway: stack.gateway.child.pid,
    projection: stack.projection.child.pid,
    nats: stack.nats?.child.pid,
  };
  const before = { ...mapValues(pids, cpuMs), load: ownCpuMs() };
  const run = await load();
  const after = { ...mapValues(pids, cpuMs), load: ownCpuMs() };
  assertClean(run, minBytes);
  const cpuPerRequestMs = mapValues(after, (ms, name) => (ms - before[name]) / run.completed);
  return { run, cpuPerRequestMs };
}

function mapValues<K extends string, V, W>(
  record: Readonly<Record<K, V>>,
  fn: (value: V, key: K) => W,
): Record<K, W> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, fn(value as V, key as K)]),
  ) as Record<K, W>;
}

async function main(): Promise<void> {
  log(
    `${QUICK ? 'QUICK run: ' : ''}${count(JOBS)} jobs in the read model; ${CONNECTIONS} connections, ${RUN_SECONDS} s per run, ${ROUNDS} rounds; temp files in ${dir}`,
  );
  const modelFile = join(dir, 'projection-jobs.db');
  log(
    'building the read model (synthetic history folded straight into SqliteReadModel.applyBatch)…',
  );
  const summary = await buildJobsReadModel(dir, modelFile, { jobs: JOBS, seed: SEED, page: PAGE });
  log(
    `  ${count(summary.jobs)} jobs, ${count(summary.events)} events in ${summary.buildSeconds.toFixed(1)} s (${count(summary.eventsPerSecond)} events/s generated and folded; applyBatch alone ${count(summary.applyEventsPerSecond)} events/s); model ${count(statSync(modelFile).size / 2 ** 20)} MiB`,
  );

  const phases: PhaseResult[] = [];
  for (const phase of PHASES) phases.push(await runPhase(phase, summary, modelFile));

  const figures: Figure[] = [];
  const targets: ReturnType<typeof printApiReport>['targets'] = [];
  for (const { phase, rounds, childPeaks, cache } of phases) {
    log('');
    log(`── ${phase.title}`);
    const report = printApiReport({
      rounds,
      rateFloor: RATE_FLOOR,
      p50BudgetMs: P50_BUDGET_MS,
      p99BudgetMs: P99_BUDGET_MS,
    });
    log(
      `peak RSS: gateway ${count(childPeaks.gateway)} MiB, job-projection ${count(childPeaks.projection)} MiB; job-projection's page cache: ${describeCache(cache)}`,
    );
    figures.push(
      ...report.figures,
      { name: `rss.gateway.peak${phase.suffix}`, value: childPeaks.gateway, unit: 'MiB' },
      { name: `rss.projection.peak${phase.suffix}`, value: childPeaks.projection, unit: 'MiB' },
      { name: `pageCache.hits${phase.suffix}`, value: cache.hits, unit: 'requests' },
      { name: `pageCache.misses${phase.suffix}`, value: cache.misses, unit: 'requests' },
    );
    targets.push(...report.targets);
  }
  log(`peak RSS of this process (the load generator): ${count(peakRssMiB())} MiB`);
  figures.push(
    { name: 'readModel.buildSeconds', value: Number(summary.buildSeconds.toFixed(1)), unit: 's' },
    { name: 'readModel.buildRate', value: Math.round(summary.eventsPerSecond), unit: 'events/s' },
    {
      name: 'readModel.applyBatchRate',
      value: Math.round(summary.applyEventsPerSecond),
      unit: 'events/s',
    },
    { name: 'readModel.events', value: summary.events, unit: 'events' },
    { name: 'readModel.size', value: Math.round(summary.modelBytes / 2 ** 20), unit: 'MiB' },
    ...summary.queries.map((q) => ({
      name: `query.${q.name}.total`,
      value: q.total,
      unit: 'jobs',
    })),
  );
  emitResult({
    benchmark: 'gateway.jobs-api',
    quick: QUICK,
    parameters: {
      jobs: JOBS,
      seed: SEED,
      page: PAGE,
      connections: CONNECTIONS,
      runSeconds: RUN_SECONDS,
      rounds: ROUNDS,
      pacedRate: RATE_FLOOR,
      nats: phases[0]!.nats,
      ...Object.fromEntries(summary.queries.map((q) => [`query.${q.name}`, q.search])),
    },
    figures,
    targets: targets.map((t) => target(t.name, t.value, t.atLeast)),
  });
}

/**
 * Runs the rounds on a stack of its own: the page cache on (every jobs request after the first
 * of a round is the same page of the same model: a dashboard polling) or off (every request walks
 * SQLite and encodes the page: as for lists nobody asked since the model last moved).
 */
async function runPhase(
  phase: Phase,
  summary: JobsReadModelSummary,
  modelFile: string,
): Promise<PhaseResult> {
  log('');
  log(`${phase.title}: starting job-projection and the gateway as separate processes…`);
  const stack = await startServiceStack(dir, modelFile, phase.projectionEnv);
  try {
    log(`  NATS: ${stack.natsSource}; gateway ${stack.gatewayUrl}`);
    await checkQueries(stack, summary);
    const auth = { authorization: `Bearer ${stack.apiKey}` };
    const endpoints: (Target & { minBytes: number })[] = [
      {
        label: `healthz${phase.suffix}`,
        url: `${stack.gatewayUrl}/healthz`,
        headers: {},
        minBytes: 1,
      },
      ...summary.queries.map((q) => ({
        label: `${q.name}${phase.suffix}`,
        url: `${stack.gatewayUrl}/api/v1/jobs?${q.search}`,
        headers: auth,
        // A page of 50 jobs is kilobytes; anything shorter is not a full page.
        minBytes: 50 * PAGE,
      })),
    ];
    log(`warming up: ${WARMUP_SECONDS} s of saturating load on each endpoint…`);
    for (const endpoint of endpoints) {
      await measure(
        stack,
        () => saturatingLoad(endpoint, CONNECTIONS, WARMUP_SECONDS),
        endpoint.minBytes,
      );
    }

    const rounds: EndpointRounds[] = endpoints.map((e) => ({
      label: e.label,
      saturated: [],
      paced: [],
    }));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate who goes first, so that a slow patch of the machine does not land on one side only.
      const order = endpoints.map((_, i) => (i + round) % endpoints.length);
      const parts: string[] = [];
      for (const i of order) {
        const endpoint = endpoints[i]!;
        const measured = await measure(
          stack,
          () => saturatingLoad(endpoint, CONNECTIONS, RUN_SECONDS),
          endpoint.minBytes,
        );
        rounds[i]!.saturated.push(measured);
        parts.push(
          `${endpoint.label} ${count(measured.run.requestsPerSecond)}/s p50 ${measured.run.p50Ms.toFixed(2)} ms`,
        );
      }
      for (const i of order) {
        const endpoint = endpoints[i]!;
        // Steady state at the paced rate: a lead-in at that rate, not counted, so that the run
        // measures serving 1,500/s and not the recovery from the saturating run before it (its
        // garbage, collected in the first seconds after, in the gateway and in this process).
        await pacedLoad(endpoint, RATE_FLOOR, PACED_LEAD_IN_SECONDS, CONNECTIONS * 4);
        const measured = await measure(
          stack,
          () => pacedLoad(endpoint, RATE_FLOOR, RUN_SECONDS, CONNECTIONS * 4),
          endpoint.minBytes,
        );
        rounds[i]!.paced.push(measured);
        const behind =
          measured.run.unanswered > 0 ? `, ${count(measured.run.unanswered)} unanswered` : '';
        parts.push(
          `${endpoint.label} at ${count(RATE_FLOOR)}/s: p50 ${measured.run.p50Ms.toFixed(2)} p99 ${measured.run.p99Ms.toFixed(2)} ms${behind}`,
        );
      }
      log(`  round ${round + 1}: ${parts.join('; ')}`);
    }

    const childPeaks = {
      gateway: peakRssMiBOf(stack.gateway.child.pid),
      projection: peakRssMiBOf(stack.projection.child.pid),
    };
    const cache = await pageCacheStats(stack);
    if (cache.maxBytes > 0 !== phase.cacheOn) {
      throw new Error(
        `job-projection's page cache holds up to ${cache.maxBytes} bytes: this phase is for the cache ${phase.cacheOn ? 'on' : 'off'}`,
      );
    }
    return { phase, rounds, childPeaks, cache, nats: stack.nats ? 'private' : 'shared' };
  } catch (error) {
    for (const service of [stack.gateway, stack.projection]) {
      log(`--- ${service.name}'s last lines (${service.logFile}):\n${service.tail(30)}`);
    }
    throw error;
  } finally {
    await stack.stop();
  }
}

/** What job-projection's page cache did, as the admin API reports it. */
async function pageCacheStats(stack: ServiceStack): Promise<PageCacheStats> {
  const response = await fetch(`${stack.gatewayUrl}/api/v1/admin/projections`, {
    headers: { authorization: `Bearer ${stack.apiKey}` },
  });
  const status = ((await response.json()) as { items?: ProjectionStatus[] }).items?.[0];
  if (response.status !== 200 || !status) {
    throw new Error(`GET /api/v1/admin/projections answered ${response.status}`);
  }
  return status.pageCache;
}

function describeCache(cache: PageCacheStats): string {
  if (cache.maxBytes === 0) return `off (${count(cache.misses)} lists, each walked in SQLite)`;
  const asked = cache.hits + cache.misses;
  return `${count(cache.hits)} of ${count(asked)} lists answered from it (${((100 * cache.hits) / Math.max(asked, 1)).toFixed(2)}%), ${count(cache.misses)} walked in SQLite`;
}

try {
  await main();
} finally {
  cleanUp();
}
