import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { JobHistory } from '@clocktower/contracts';
import { chromiumExecutable, labComponent, until } from '@clocktower/testing';
import { ADMIN } from '../e2e/support/accounts.js';
import { caughtUp, startFixture, type E2eFixture } from '../e2e/support/e2e-fixture.js';
import { AUX, BASE, CLUSTER } from '../e2e/support/known-history.js';
import { serviceMain } from '../e2e/support/stack.js';
import { appendEntries } from '../e2e/support/timeline.js';
import {
  attributesOf,
  launchChromium,
  newContext,
  requireDashboardBuilt,
  signIn,
  untilRows,
} from './support/browser.js';
import { dirname } from 'node:path';

/**
 * The web dashboard in headless Chromium, served by the gateway, in front of job-projection over
 * NATS and a store holding the e2e suites' known history (see ../e2e/support/known-history.ts).
 */

const nats = await labComponent('nats');
const chromium = chromiumExecutable();
const ready = nats.available && chromium.available;

(ready ? describe : describe.skip)('the web dashboard in headless Chromium', () => {
  let fixture: E2eFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    requireDashboardBuilt(dirname(dirname(serviceMain('gateway'))));
    fixture = await startFixture(nats.available ? nats.value : '');
    browser = await launchChromium(chromium.available ? chromium.value : '');
  });

  afterAll(async () => {
    await browser?.close();
    await fixture?.stack.stop();
  });

  beforeEach(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });

  afterEach(async () => {
    await context.close();
  });

  const adminKey = (): string => fixture.keys[ADMIN.email]!;
  const url = (path: string): string => `${fixture.gateway.url}${path}`;

  it('shows the login prompt to a visitor without a key, and refuses a wrong key', async () => {
    await page.goto(url('/jobs'));
    await page
      .locator('input[name="apiKey"]')
      .fill('ct_AAAAAAAAAAAA_wrongwrongwrongwrongwrongwrongwrongwro');
    await page.locator('form[data-testid="login"] button[type="submit"]').click();
    await page.getByText('This key is not valid.').waitFor();
    expect(await page.locator('header nav').count()).toBe(0);
  });

  it('shows the login prompt, not a broken page, when the kept key is refused (401)', async () => {
    await page.goto(url('/'));
    await page.evaluate(() =>
      sessionStorage.setItem('clocktower.apiKey', 'ct_revokedkey0_nottherightsecret'),
    );
    await page.goto(url('/jobs/e2e/1001'));
    await page.locator('form[data-testid="login"]').waitFor();
    await page.getByText('Your key was refused').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('clocktower.apiKey'))).toBeNull();
  });

  it('shows each cluster on the overview with its jobs and nodes per state', async () => {
    await signIn(page, fixture.gateway.url, adminKey());
    const e2e = page.locator(`[data-testid="cluster-${CLUSTER}"]`);
    await e2e.waitFor();
    await page.locator(`[data-testid="cluster-${AUX}"]`).waitFor();
    const text = await e2e.innerText();
    expect(text).toContain('RUNNING');
    expect(text).toContain('PENDING');
    expect(text).toContain('CPU');
    // The known history is from January: long unpolled, so the staleness warning shows.
    expect(await e2e.locator('[data-testid="stale"]').count()).toBe(1);
  });

  it('keeps the job filters in the URL, shows only matching rows, and walks back and forward', async () => {
    await signIn(page, fixture.gateway.url, adminKey(), '/jobs');
    await page.locator('[data-testid="jobs-table"]').waitFor();
    const filters = page.locator('[data-testid="job-filters"]');
    await filters.locator('select[name="cluster"]').selectOption(CLUSTER);
    await filters.locator('select[name="state"]').selectOption('RUNNING');
    await filters.locator('button[type="submit"]').click();
    await untilRows(page, ['1003', '2002']);
    const filtered = new URL(page.url());
    expect(filtered.pathname).toBe('/jobs');
    expect(filtered.searchParams.get('cluster')).toBe(CLUSTER);
    expect(filtered.searchParams.get('state')).toBe('RUNNING');

    await page.goBack();
    await until('the URL without filters', () => new URL(page.url()).search === '');
    await page.goForward();
    await untilRows(page, ['1003', '2002']);

    // The same URL opened afresh (shared, bookmarked) shows the same rows.
    await page.goto(filtered.toString());
    await untilRows(page, ['1003', '2002']);
  });

  it('finds a job by id or by name with the search box', async () => {
    await signIn(page, fixture.gateway.url, adminKey(), `/jobs?cluster=${CLUSTER}`);
    await page.locator('[data-testid="job-search"]').fill('1002');
    await page.locator('[data-testid="job-search"]').press('Enter');
    await untilRows(page, ['1002']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('1002');
    await page.locator('[data-testid="job-search"]').fill('notebook');
    await page.locator('[data-testid="job-search"]').press('Enter');
    await untilRows(page, ['1004']);
  });

  it("shows the API's 400 naming the field for a bad filter value, not an empty table", async () => {
    await signIn(page, fixture.gateway.url, adminKey(), '/jobs?state=bogus&users=bob');
    const error = page.locator('.error[data-status="400"]');
    await error.waitFor();
    const text = await error.innerText();
    expect(text).toContain('state');
    expect(text).toContain('users');
    expect(await page.locator('[data-testid="jobs-table"]').count()).toBe(0);
  });

  it('opens a job and shows every state change in its timeline and its pending time per reason', async () => {
    await signIn(page, fixture.gateway.url, adminKey(), `/jobs?cluster=${CLUSTER}&jobIds=1001`);
    await page.locator('[data-testid="jobs-table"] a', { hasText: '1001' }).click();
    await page.locator('[data-testid="timeline"]').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/jobs/${CLUSTER}/1001`);
    const types = await attributesOf(page, '[data-testid="timeline"] li', 'data-type');
    const history = await fixture.admin.ok<JobHistory>(`/api/v1/jobs/${CLUSTER}/1001/history`);
    expect([...types].sort()).toEqual(history.events.map((e) => e.type).sort());
    expect(types).toEqual(
      expect.arrayContaining(['JobSubmitted', 'JobPendingReasonChanged', 'JobStarted', 'JobEnded']),
    );
    const pending = await page.locator('[data-testid="pending-time"]').innerText();
    expect(pending).toContain('Priority');
    expect(pending).toContain('Resources');
    expect(await page.locator('[data-testid="job"]').innerText()).toContain('align-sample');
  });

  it('shows a new state change of the job without reloading the page (live, from the SSE stream)', async () => {
    await signIn(page, fixture.gateway.url, adminKey(), `/jobs/${CLUSTER}/1004`);
    await page.locator('[data-testid="timeline"]').waitFor();
    await until(
      'the change stream live',
      async () =>
        (await page.locator('[data-testid="live-status"]').getAttribute('class'))?.includes(
          'live-live',
        ) === true,
    );
    await page.evaluate(
      () => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true),
    );
    fixture.timeline.start(900, CLUSTER, '1004', 'n01');
    await appendEntries(fixture.stack.store, fixture.timeline.take());
    await caughtUp(fixture.stack, fixture.admin);
    await page
      .locator('[data-testid="timeline"] li[data-type="JobStarted"]')
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        const status = await page.locator('[data-testid="live-status"]').innerText();
        const shown = await attributesOf(page, '[data-testid="timeline"] li', 'data-type');
        throw new Error(`${String(error)}\nstream: ${status}; timeline: ${shown.join(', ')}`, {
          cause: error,
        });
      });
    expect(
      await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
    expect(await page.locator('h1').innerText()).toContain('RUNNING');
  });

  it('shows nodes with their flags and reasons, and a node with its jobs and history', async () => {
    await signIn(page, fixture.gateway.url, adminKey(), `/nodes?cluster=${CLUSTER}&flag=DRAIN`);
    const table = page.locator('[data-testid="nodes-table"]');
    await table.waitFor();
    const text = await table.innerText();
    expect(text).toContain('n02');
    expect(text).toContain('DRAIN');
    expect(text).toContain('disk check');
    expect(text).toContain('set by root');
    expect(text).not.toContain('n01');

    await page.locator('[data-testid="nodes-table"] a', { hasText: 'n02' }).click();
    // The node's jobs and its history load apart: wait for both before reading the page.
    await page.locator('[data-testid="node"] [data-testid="timeline"]').waitFor();
    await page.locator('[data-testid="node"] .job-list').waitFor();
    const node = await page.locator('[data-testid="node"]').innerText();
    expect(node).toContain('1005'); // ran on n02
    const types = await attributesOf(page, '[data-testid="timeline"] li', 'data-type');
    expect(types).toContain('NodeStateChanged');
  });

  it('shows a cluster as it was at a past time', async () => {
    // 1001 was running on n01 between 150 s and 450 s after BASE; 1005 was not submitted until 210 s.
    const time = new Date(BASE + 200_000).toISOString();
    await signIn(page, fixture.gateway.url, adminKey(), `/history?cluster=${CLUSTER}&time=${time}`);
    const asOf = page.locator('[data-testid="as-of"]');
    await asOf.waitFor();
    const text = await asOf.innerText();
    expect(text).toContain('1001');
    expect(text).not.toContain('1005');
  });

  it("switches language and theme, and keeps them as the user's settings", async () => {
    await signIn(page, fixture.gateway.url, adminKey(), '/jobs');
    const saved = (): Promise<unknown> =>
      page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/users/me/settings') && r.request().method() === 'PUT',
      );
    let put = saved();
    await page.locator('[data-testid="language"]').selectOption('fr');
    await page.locator('header nav a', { hasText: 'Tâches' }).waitFor();
    await until(
      'the page in French',
      async () => (await page.locator('html').getAttribute('lang')) === 'fr',
    );
    await put;
    const before = await page.locator('html').getAttribute('data-theme');
    put = saved();
    await page.locator('[data-testid="theme-toggle"]').click();
    let after: string | null = before;
    await until('the theme to change', async () => {
      after = await page.locator('html').getAttribute('data-theme');
      return after !== before;
    });
    expect(['light', 'dark']).toContain(after);
    await put;
    const settings = await fixture.admin.ok<{ language: string; theme: string }>(
      '/api/v1/users/me/settings',
    );
    expect(settings).toMatchObject({ language: 'fr', theme: after });

    // Another browser (nothing kept locally) gets them from the API when the user signs in.
    const elsewhere = await (await newContext(browser)).newPage();
    await signIn(elsewhere, fixture.gateway.url, adminKey(), '/jobs');
    await elsewhere.locator('header nav a', { hasText: 'Tâches' }).waitFor();
    await until(
      'the theme applied',
      async () => (await elsewhere.locator('html').getAttribute('data-theme')) === after,
    );
    await elsewhere.context().close();

    // Back to English: the settings are the admin's, kept by the API for the other tests too.
    put = saved();
    await page.locator('[data-testid="language"]').selectOption('en');
    await page.locator('header nav a', { hasText: 'Jobs' }).waitFor();
    await put;
  });
});
