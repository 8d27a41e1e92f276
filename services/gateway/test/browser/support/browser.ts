import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { until } from '@clocktower/testing';

/** Headless Chromium as the tests, the screenshots and the benchmark run it (no GPU, no sandbox: root in a container). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export const dashboardIndex = (gatewayDist: string): string =>
  join(gatewayDist, 'web', 'index.html');

export function requireDashboardBuilt(gatewayDist: string): void {
  if (!existsSync(dashboardIndex(gatewayDist))) {
    throw new Error('the dashboard is not built: run `npm run build` (npm test does it first)');
  }
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh context (its own sessionStorage and localStorage), in English, in a fixed size. */
export function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 900 },
  });
}

/** Opens `path` and signs in through the login prompt with `key`. */
export async function signIn(page: Page, baseUrl: string, key: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.locator('input[name="apiKey"]').fill(key);
  await page.locator('form[data-testid="login"] button[type="submit"]').click();
  await page.locator('header nav').waitFor();
}

/** The job ids of the rows of the jobs table now shown (waits for the table). */
export async function jobRows(page: Page): Promise<string[]> {
  await page.locator('[data-testid="jobs-table"]').waitFor();
  return attributesOf(page, '[data-testid="jobs-table"] tbody tr', 'data-job-id');
}

/**
 * An attribute of every element matching `selector`, in order ('' where absent), read in one step
 * (a table re-rendered between two steps would leave a read waiting for a row that is gone). A
 * string expression: the tests' TypeScript program has no DOM types for a function run in the page.
 */
export function attributesOf(page: Page, selector: string, name: string): Promise<string[]> {
  return page.evaluate<string[]>(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.getAttribute(${JSON.stringify(name)}) ?? '')`,
  );
}

/** Waits until the jobs table shows exactly `ids` (in any order). */
export async function untilRows(
  page: Page,
  ids: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const want = [...ids].sort().join(',');
  let got = '';
  await until(
    `the jobs table to show ${want}`,
    async () => {
      got = (await jobRows(page).catch(() => [])).sort().join(',');
      return got === want;
    },
    timeoutMs,
    50,
  ).catch(async (error: unknown) => {
    const body = await page
      .locator('body')
      .innerText()
      .catch(() => '');
    throw new Error(
      `${String(error)}; rows shown: ${got}; at ${page.url()}:\n${body.slice(Math.max(0, body.indexOf('Clear'))).slice(0, 800)}`,
      {
        cause: error,
      },
    );
  });
}
