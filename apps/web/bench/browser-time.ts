import type { Page } from 'playwright-core';
import { metric } from '../../../bench/src/contract.js';
import type { Metric } from '../../../bench/src/contract.js';
import { launchBrowser, newPage, signIn } from '../test/e2e/harness';
import { EVENTS_GLOBAL, recordPageEvents } from './page-recorder';
import type { PageEvent } from './page-recorder';
import { dashboardTiming, RESULTS_SELECTOR, searchToTreeTiming, TREE_OWNER } from './page-timing';
import type { DashboardTiming, SearchToTreeTiming } from './page-timing';
import { percentile } from './stats';

/**
 * The browser's part of the operator's and the manager's flows, driven
 * through Chromium (the e2e tests' launcher and sign-in) against a running
 * server: search → tree as an operator types it, and the 90-day dashboard
 * from navigation until every chart has finished rendering. Times are read
 * on the page's own clock (see page-recorder.ts), not by the driver.
 */
export interface BrowserTimes {
  readonly searchToTree: SearchToTreeTiming[];
  readonly dashboard: DashboardTiming[];
  /** The first dashboard load, with the browser's cache empty (not in `dashboard`). */
  readonly coldDashboard: DashboardTiming;
}

const DASHBOARD_PATH = '/dashboards?range=90d';
const TIMEOUT_MS = 60_000;

/** The recorder's events, under the name it was given (EVENTS_GLOBAL). */
type RecordingWindow = Record<string, PageEvent[]>;

async function pageEvents(page: Page): Promise<PageEvent[]> {
  return page.evaluate((global) => (window as unknown as RecordingWindow)[global]!, EVENTS_GLOBAL);
}

/** Opens the search page, waits until it answers keys, then types, submits, opens and probes. */
async function searchToTree(page: Page, businessKey: string): Promise<SearchToTreeTiming> {
  await page.goto('/search');
  // Like the e2e operator: `/` focuses the box only once the page's handlers are live.
  await page.locator('h1').click();
  await page.keyboard.press('/');
  await page.locator('input[name=q]:focus').waitFor({ timeout: TIMEOUT_MS });
  await page.keyboard.type(businessKey);
  await page.keyboard.press('Enter');
  const results = page.locator(RESULTS_SELECTOR);
  await results.getByText(businessKey).waitFor({ timeout: TIMEOUT_MS });
  await results.focus();
  await page.keyboard.press('Enter');
  const tree = page.getByTestId(TREE_OWNER);
  await tree.locator('[data-chart-state=finished]').waitFor({ timeout: TIMEOUT_MS });
  // The probe: select a step that is not selected yet, from the step list.
  await tree.locator('button[aria-pressed=false]').first().click();
  await page.waitForFunction(
    ({ global }) =>
      (window as unknown as RecordingWindow)[global]!.some((e) => e.kind === 'pressed'),
    { global: EVENTS_GLOBAL },
    { timeout: TIMEOUT_MS },
  );
  if (!page.url().includes('/sessions/'))
    throw new Error(`search → tree ended on ${page.url()}, not a session page`);
  return searchToTreeTiming(await pageEvents(page));
}

/** Navigates to the 90-day dashboard and waits until every chart panel's chart has finished. */
async function dashboard(page: Page): Promise<DashboardTiming> {
  await page.goto(DASHBOARD_PATH);
  await page.getByTestId('drilldown').waitFor({ timeout: TIMEOUT_MS });
  await page.waitForFunction(
    () => {
      const panels = [...document.querySelectorAll('section[data-testid^="chart-"]')];
      return (
        panels.length > 0 && panels.every((p) => p.querySelector('[data-chart-state=finished]'))
      );
    },
    undefined,
    { timeout: TIMEOUT_MS },
  );
  const { charts, responseEnd } = await page.evaluate(() => ({
    charts: [...document.querySelectorAll('section[data-testid^="chart-"]')].map(
      (p) => p.getAttribute('data-testid') ?? '',
    ),
    responseEnd: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
      .responseEnd,
  }));
  return dashboardTiming(await pageEvents(page), charts, responseEnd);
}

/**
 * Signs in through the login page, loads the dashboard once with an empty
 * cache and does one search → tree flow (both unmeasured warm-ups, the
 * first kept as `coldDashboard`), then `rounds` rounds of `flows`
 * search → tree flows and `flows` dashboard loads, one at a time.
 *
 * @example await measureBrowser({ url, email, password, keys, rounds: 5, flows: 6 })
 */
export async function measureBrowser(o: {
  url: string;
  email: string;
  password: string;
  keys: readonly string[];
  rounds: number;
  flows: number;
}): Promise<BrowserTimes> {
  const browser = await launchBrowser();
  try {
    const { page } = await newPage(browser, o.url);
    await page.addInitScript(recordPageEvents, {
      global: EVENTS_GLOBAL,
      watched: [RESULTS_SELECTOR],
    });
    await signIn(page, o.email, o.password);
    const coldDashboard = await dashboard(page);
    // Keys far apart in the seed, so consecutive flows open unrelated sessions.
    const keyAt = (i: number) => o.keys[(i * 37) % o.keys.length]!;
    await searchToTree(page, keyAt(0));
    const times = { searchToTree: [] as SearchToTreeTiming[], dashboard: [] as DashboardTiming[] };
    for (let round = 0; round < o.rounds; round++) {
      for (let i = 0; i < o.flows; i++)
        times.searchToTree.push(await searchToTree(page, keyAt(1 + round * o.flows + i)));
      for (let i = 0; i < o.flows; i++) times.dashboard.push(await dashboard(page));
      const latest = times.searchToTree.slice(-o.flows);
      console.log(
        `browser round ${round + 1}/${o.rounds}: search→tree interactive p50 ${percentile(
          latest.map((t) => t.interactive),
          50,
        ).toFixed(0)} ms; 90-day dashboard rendered p50 ${percentile(
          times.dashboard.slice(-o.flows).map((t) => t.rendered),
          50,
        ).toFixed(0)} ms`,
      );
    }
    return { ...times, coldDashboard };
  } finally {
    await browser.close();
  }
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * One metric per measured span (`browser.search_to_tree.interactive`, …),
 * over every flow of every round: median, min and max of the samples, and
 * their p95 (nearest rank) as a parameter.
 */
export function browserMetrics(times: BrowserTimes): Metric[] {
  const spans = <T extends object>(prefix: string, samples: readonly T[]) =>
    (Object.keys(samples[0] ?? {}) as (keyof T & string)[]).map((span) => {
      const values = samples.map((s) => s[span] as number);
      return metric(`${prefix}.${snakeCase(span)}`, 'ms', values, {
        p95: Math.round(percentile(values, 95)),
      });
    });
  return [
    ...spans('browser.search_to_tree', times.searchToTree),
    ...spans('browser.dashboard_90d', times.dashboard),
  ];
}
