/*
 * The dashboard's jobs page on a read model of 100,000 jobs (issue 5, "fast on a cluster of
 * 100,000 jobs"): the time from navigation to the first page of jobs rendered in headless
 * Chromium, and the bytes the page downloads, beside the time the same gateway takes to show a
 * static page of its own (the dashboard's login prompt: the same HTML, script and stylesheet,
 * no API call) in the same run. See bench/README.md (`gateway.dashboard-load`).
 */
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { chromiumExecutable, until } from '@clocktower/testing';
import {
  benchTempDir,
  emitResult,
  formatRatio,
  isQuickRun,
  log,
  printTable,
  target,
} from '../../../bench/report.js';
import { launchChromium } from '../test/browser/support/browser.js';
import { buildJobsReadModel } from './jobs-api/jobs-read-model.js';
import { startServiceStack } from './jobs-api/service-stack.js';

const QUICK = isQuickRun();
const JOBS = QUICK ? 20_000 : 100_000;
const SEED = 20_251_202;
const ROUNDS = QUICK ? 3 : 7;
/** Targets from issue 5. */
const FIRST_ROWS_BUDGET_MS = 1_000;
const BYTES_BUDGET = 500 * 1_000;

/**
 * Run in the page before its own scripts: notes `performance.now()` (milliseconds since the
 * navigation started) when the first row of the jobs table, or the login prompt, is in the DOM.
 * A string, as the benchmark's TypeScript program has no DOM types.
 */
const MARK_SCRIPT = `
  new MutationObserver((_, observer) => {
    const mark = (name, selector) => {
      if (window[name] === undefined && document.querySelector(selector)) window[name] = performance.now();
    };
    mark('__firstRows', '[data-testid="jobs-table"] tbody tr');
    mark('__login', 'form[data-testid="login"]');
  }).observe(document, { childList: true, subtree: true });
`;

interface Load {
  readonly ms: number;
  /** Bytes on the wire (headers and encoded bodies), by kind. */
  readonly staticBytes: number;
  readonly apiBytes: number;
  readonly requests: number;
  /** Each request's start and end (ms since the navigation started): where the time went. */
  readonly resources: readonly (readonly [path: string, start: number, end: number])[];
}

/** The page's Resource Timing entries, the document first. A string: no DOM types here. */
const RESOURCES_SCRIPT = `[performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
  .map((e) => [new URL(e.name).pathname, Math.round(e.startTime), Math.round(e.responseEnd)])`;

/**
 * Bytes of every finished request of the page, and whether any is still under way; the change
 * stream (/api/v1/events) never finishes, so is neither waited for nor counted.
 */
function countBytes(page: Page): {
  readonly settled: () => boolean;
  readonly total: () => Promise<{ staticBytes: number; apiBytes: number; requests: number }>;
} {
  const finished: Request[] = [];
  let open = 0;
  const counted = (request: Request): boolean =>
    new URL(request.url()).pathname !== '/api/v1/events';
  page.on('request', (request) => {
    if (counted(request)) open++;
  });
  page.on('requestfailed', (request) => {
    if (counted(request)) open--;
  });
  page.on('requestfinished', (request) => {
    if (!counted(request)) return;
    open--;
    finished.push(request);
  });
  return {
    settled: () => open === 0,
    total: async () => {
      let staticBytes = 0;
      let apiBytes = 0;
      for (const request of finished) {
        const sizes = await request.sizes();
        const bytes = sizes.responseHeadersSize + sizes.responseBodySize + sizes.requestHeadersSize;
        if (new URL(request.url()).pathname.startsWith('/api/')) apiBytes += bytes;
        else staticBytes += bytes;
      }
      return { staticBytes, apiBytes, requests: finished.length };
    },
  };
}

/** One cold load (a new context: empty cache and storage) of `path`, until `mark` is set. */
async function load(
  browser: Browser,
  url: string,
  key: string | null,
  mark: string,
): Promise<Load> {
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
  });
  try {
    if (key)
      await context.addInitScript(
        `sessionStorage.setItem('clocktower.apiKey', ${JSON.stringify(key)})`,
      );
    await context.addInitScript(MARK_SCRIPT);
    const page = await context.newPage();
    const bytes = countBytes(page);
    await page.goto(url);
    await page.waitForFunction(`window.${mark} !== undefined`, undefined, { timeout: 60_000 });
    const ms = await page.evaluate<number>(`window.${mark}`);
    // Let the requests the first render started finish, so that their bytes count.
    await until("the page's requests to finish", () => bytes.settled(), 30_000, 20);
    const resources = await page.evaluate<[string, number, number][]>(RESOURCES_SCRIPT);
    return { ms, ...(await bytes.total()), resources };
  } finally {
    await context.close();
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function main(): Promise<void> {
  const chromium = chromiumExecutable();
  if (!chromium.available) throw new Error(`${chromium.reason} (apt-get install -y chromium)`);
  const { dir, cleanUp } = benchTempDir();
  try {
    log(
      `${QUICK ? 'QUICK run: ' : ''}${JOBS.toLocaleString('en-US')} jobs; ${ROUNDS} rounds; temp files in ${dir}`,
    );
    const modelFile = join(dir, 'projection-jobs.db');
    const summary = await buildJobsReadModel(dir, modelFile, { jobs: JOBS, seed: SEED, page: 50 });
    log(
      `  read model: ${summary.jobs.toLocaleString('en-US')} jobs in ${summary.buildSeconds.toFixed(1)} s`,
    );
    const stack = await startServiceStack(dir, modelFile);
    const browser = await launchChromium(chromium.value);
    try {
      const jobsUrl = `${stack.gatewayUrl}/jobs`;
      const loginUrl = `${stack.gatewayUrl}/login`;
      // Warm-up: the gateway compresses and caches its files on first request; SQLite's cache.
      await load(browser, jobsUrl, stack.apiKey, '__firstRows');
      await load(browser, loginUrl, null, '__login');
      const jobs: Load[] = [];
      const statics: Load[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate who goes first, so that a slow patch of the machine does not land on one only.
        const pair = [
          async () => jobs.push(await load(browser, jobsUrl, stack.apiKey, '__firstRows')),
          async () => statics.push(await load(browser, loginUrl, null, '__login')),
        ];
        for (const run of round % 2 === 0 ? pair : pair.reverse()) await run();
        log(
          `  round ${round + 1}: jobs page ${jobs.at(-1)!.ms.toFixed(0)} ms, static page ${statics.at(-1)!.ms.toFixed(0)} ms`,
        );
      }
      const firstRowsMs = median(jobs.map((l) => l.ms));
      const staticMs = median(statics.map((l) => l.ms));
      const last = jobs.at(-1)!;
      const bytes = last.staticBytes + last.apiBytes;
      const ratio = firstRowsMs / staticMs;
      printTable(
        ['page', 'median ms', 'bytes (static + API)', 'requests'],
        [
          [
            'jobs (first page rendered)',
            firstRowsMs.toFixed(0),
            `${last.staticBytes} + ${last.apiBytes}`,
            String(last.requests),
          ],
          [
            'static (login prompt)',
            staticMs.toFixed(0),
            `${statics.at(-1)!.staticBytes} + 0`,
            String(statics.at(-1)!.requests),
          ],
        ],
      );
      log(
        `last jobs page load, request start → end (ms after navigation): ${last.resources
          .map(([path, start, end]) => `${path} ${start}→${end}`)
          .join(', ')}; first rows at ${last.ms.toFixed(0)}`,
      );
      log(
        `jobs page / static page: ${formatRatio(ratio)}; downloaded ${(bytes / 1024).toFixed(1)} KiB`,
      );
      emitResult({
        benchmark: 'gateway.dashboard-load',
        quick: QUICK,
        parameters: {
          jobs: JOBS,
          seed: SEED,
          rounds: ROUNDS,
          nats: stack.nats ? 'private' : 'shared',
        },
        figures: [
          { name: 'jobsPage.firstRowsMs', value: Math.round(firstRowsMs), unit: 'ms' },
          { name: 'staticPage.ms', value: Math.round(staticMs), unit: 'ms' },
          { name: 'jobsPage.ratioToStatic', value: Number(ratio.toFixed(2)), unit: 'x' },
          { name: 'jobsPage.bytes', value: bytes, unit: 'bytes' },
          { name: 'jobsPage.staticBytes', value: last.staticBytes, unit: 'bytes' },
          { name: 'jobsPage.apiBytes', value: last.apiBytes, unit: 'bytes' },
        ],
        // report.ts targets are floors: budgets over measures, ≥ 1 when met.
        targets: [
          target(
            'jobsPage.budgetOverFirstRows',
            Number((FIRST_ROWS_BUDGET_MS / firstRowsMs).toFixed(2)),
            1,
          ),
          target('jobsPage.budgetOverBytes', Number((BYTES_BUDGET / bytes).toFixed(2)), 1),
        ],
      });
    } finally {
      await browser.close();
      await stack.stop();
    }
  } finally {
    cleanUp();
  }
}

await main();
