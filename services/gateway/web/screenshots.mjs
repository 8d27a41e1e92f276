#!/usr/bin/env node
// `npm run screenshots`: the dashboard's overview, jobs and job pages in headless Chromium, saved
// to docs/screenshots/*.png for the README. Runs the embedded app (`apps/embedded`, built) on a
// temporary data folder, watching the simulated cluster, and waits for a few minutes of its history.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../../..');
const out = join(root, 'docs', 'screenshots');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** Jobs the simulated cluster must have seen before the pictures are taken. */
const MIN_JOBS = 40;

const freePort = () =>
  new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
    server.on('error', fail);
  });

async function until(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const data = mkdtempSync(join(tmpdir(), 'ct-screenshots-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const app = spawn(process.execPath, [join(root, 'apps/embedded/dist/main.js')], {
  env: {
    ...process.env,
    CLOCKTOWER_DATA: data,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
let browser;
const cleanup = () => {
  app.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

try {
  await until('the embedded app ready', async () => (await fetch(`${base}/readyz`)).ok);
  const key = readFileSync(join(data, 'admin.key'), 'utf8').trim();
  const api = async (path) => {
    const response = await fetch(`${base}/api/v1${path}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  };
  await until(
    `${MIN_JOBS} jobs seen`,
    async () => (await api('/jobs?limit=1')).total >= MIN_JOBS,
    120_000,
  );
  await until(
    'a finished job',
    async () => (await api('/jobs?state=finished&limit=1')).total > 0,
    120_000,
  );
  const [job] = (await api('/jobs?state=finished&sort=endTime&order=desc&limit=1')).items;
  // The charts draw the per-minute samples: wait for a few, so that they show lines.
  const sampled = async () => {
    const to = new Date().toISOString();
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const stats = await api(
      `/clusters/${encodeURIComponent(job.cluster)}/stats?from=${from}&to=${to}&step=60`,
    );
    return stats.points.filter((p) => Object.keys(p.jobs).length > 0).length >= 4;
  };
  console.log('waiting for a few minutes of samples for the charts…');
  await until('four minutes of samples', sampled, 300_000);

  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 860 },
  });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.locator('input[name="apiKey"]').fill(key);
  await page.locator('form[data-testid="login"] button[type="submit"]').click();
  await page.locator('header nav').waitFor();
  mkdirSync(out, { recursive: true });

  const shoot = async (path, ready, name, fullPage = false) => {
    await page.goto(`${base}${path}`);
    await page.locator(ready).first().waitFor();
    // Every part loaded (the live stream keeps a request open, so no "network idle" to wait for).
    await until(
      'the page loaded',
      async () => (await page.getByText('Loading…').count()) === 0,
      30_000,
    );
    const file = join(out, `${name}.png`);
    await page.screenshot({ path: file, fullPage });
    console.log(`wrote ${file}`);
  };
  await shoot('/?period=1h', '[data-testid^="cluster-"]', 'overview');
  await shoot('/jobs', '[data-testid="jobs-table"]', 'jobs');
  await shoot(
    `/jobs/${encodeURIComponent(job.cluster)}/${encodeURIComponent(job.jobId)}`,
    '[data-testid="timeline"]',
    'job',
    true,
  );
} finally {
  await browser?.close();
  cleanup();
}
