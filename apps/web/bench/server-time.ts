/**
 * Server time of the operator's search → behavior tree and of the manager's
 * 90-day dashboard, against the production build (`next start`) on a store
 * seeded through @weft/storage's public API.
 *
 *   npm run bench -w @weft/web -- [--sessions N] [--rounds R] [--requests M]
 *     [--users U] [--user-flows F] [--store DIR [--seed-minutes M]] [--db mysql://…]
 *     [--browser-rounds B] [--browser-flows G] [--json FILE]
 *
 * Then U users at once each do F search → session flows per round (the
 * response time each sees, queueing included, p50/p95/p99, and flows/s and
 * flows per server CPU-second).
 *
 * Then the browser's part (browser-time.ts): Chromium signs in through the
 * login page and, B rounds over, does G search → tree flows as an operator
 * types them and G 90-day dashboard loads, timed on the page's own clock
 * until the charts have finished rendering (`--browser-rounds 0` skips it).
 *
 * `--store DIR` keeps the seeded store (and its manifest) in DIR and reuses it
 * on the next run with the same --sessions; `--seed-minutes M` stops seeding
 * after M minutes (the next run continues it). `--db` seeds a MySQL-family
 * database instead of the embedded file (a dedicated one: it is written to).
 *
 * Needs `npm run build -w @weft/web` first. Requests go over loopback from
 * this process one at a time, so the time measured is the server's (render,
 * auth, queries) plus a loopback round trip.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { metric, writeBenchResult } from '../../../bench/src/contract.js';
import type { Metric } from '../../../bench/src/contract.js';
import { chromiumOrSkip, startServer } from '../test/e2e/harness';
import { browserMetrics, measureBrowser } from './browser-time';
import type { BrowserTimes } from './browser-time';
import { concurrentFlows } from './concurrent';
import { processTreeCpuMs } from './process-cpu';
import { seedBenchStore } from './seed-store';
import { percentile } from './stats';

/** Sessions seeded when --sessions is not given: the bench harness sets WEFT_BENCH_SCALE. */
const SCALES = { quick: 10_000, full: 100_000 } as const;
const scale = process.env.WEFT_BENCH_SCALE === 'full' ? 'full' : 'quick';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: String(SCALES[scale]) },
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '40' },
    users: { type: 'string', default: '50' },
    'user-flows': { type: 'string', default: '4' },
    store: { type: 'string' },
    'seed-minutes': { type: 'string' },
    db: { type: 'string' },
    'browser-rounds': { type: 'string', default: '5' },
    'browser-flows': { type: 'string', default: '6' },
    json: { type: 'string' },
  },
});
const sessions = Number(values.sessions);
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const users = Number(values.users);
const userFlows = Number(values['user-flows']);
const browserRounds = Number(values['browser-rounds']);
const browserFlows = Number(values['browser-flows']);
for (const [name, value] of Object.entries({ sessions, rounds, requests, users, userFlows }))
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);
if (!Number.isInteger(browserRounds) || browserRounds < 0)
  throw new Error('--browser-rounds must be 0 (no browser phase) or a positive integer');
if (!Number.isInteger(browserFlows) || browserFlows < 1)
  throw new Error('--browser-flows must be a positive integer');
if (values['seed-minutes'] !== undefined && !(Number(values['seed-minutes']) > 0))
  throw new Error('--seed-minutes must be a positive number of minutes');
if (values['seed-minutes'] !== undefined && values.store === undefined)
  throw new Error('--seed-minutes needs --store DIR, where the unfinished seed is kept');
if (values.db !== undefined && !values.db.startsWith('mysql://'))
  throw new Error('--db must be a mysql:// URL (the embedded store is the default)');
if (values.db !== undefined && /\/weft_test(\?|$)/.test(values.db))
  throw new Error('--db must name a dedicated database: weft_test belongs to the test suites');

const BENCH_EMAIL = 'bench@weft.test';
const PASSWORD = 'bench-password-1';

/** Creates the bench admin on a fresh store (a kept store already has it) and signs in. */
async function signInCookie(url: string): Promise<string> {
  const headers = { 'content-type': 'application/json', origin: url };
  const setup = await fetch(`${url}/api/setup`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'Bench', email: BENCH_EMAIL, password: PASSWORD }),
  });
  if (setup.status !== 201 && setup.status !== 403)
    throw new Error(`setup: HTTP ${setup.status} ${await setup.text()}`);
  const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email: BENCH_EMAIL, password: PASSWORD }),
  });
  if (!signIn.ok) throw new Error(`sign-in: HTTP ${signIn.status}`);
  return signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Milliseconds of one GET, body included; fails on anything but 200. */
async function timed(url: string, cookie: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return ms;
}

function commandLine(): string {
  const options = [
    `--sessions ${sessions} --rounds ${rounds} --requests ${requests} --users ${users} --user-flows ${userFlows}`,
    values.store ? `--store ${values.store}` : '',
    values['seed-minutes'] ? `--seed-minutes ${values['seed-minutes']}` : '',
    values.db ? `--db ${values.db.replace(/\/\/[^@]*@/, '//USER:PASS@')}` : '',
    `--browser-rounds ${browserRounds} --browser-flows ${browserFlows}`,
    values.json ? `--json ${values.json}` : '',
  ];
  return `npm run bench -w @weft/web -- ${options.filter(Boolean).join(' ')}`;
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const dir = values.store
    ? path.resolve(values.store)
    : mkdtempSync(path.join(tmpdir(), 'weft-web-bench-'));
  mkdirSync(dir, { recursive: true });
  const dbUrl = values.db ?? `sqlite:${path.join(dir, 'weft.db')}`;
  const backend = values.db ? 'mysql' : 'sqlite';
  try {
    console.log(`seeding ${sessions} sessions over 90 days into ${backend} (${dir})`);
    const manifest = values.store ? path.join(dir, `seeded-${backend}.json`) : undefined;
    const deadline = values['seed-minutes']
      ? Date.now() + Number(values['seed-minutes']) * 60_000
      : undefined;
    const seeded = await seedBenchStore(dbUrl, sessions, Date.now(), { manifest, deadline });
    if (seeded.seeded < sessions) {
      console.log(
        `stopped after --seed-minutes with ${seeded.seeded} of ${sessions} sessions (this run wrote ${seeded.written}, ${Math.round(seeded.written / (seeded.cpuMs / 1000))} per CPU-second); run the same command again to continue`,
      );
      return;
    }
    console.log(
      seeded.written === 0
        ? `reusing the store seeded at ${new Date(seeded.now).toISOString()}`
        : `wrote ${seeded.written} sessions in ${(seeded.ms / 1000).toFixed(1)} s (${Math.round(seeded.written / (seeded.ms / 1000))} sessions/s; building ${(seeded.generateMs / 1000).toFixed(1)} s, writing ${(seeded.upsertMs / 1000).toFixed(1)} s; ${Math.round(seeded.written / (seeded.cpuMs / 1000))} sessions per CPU-second)`,
    );
    const server = await startServer({ WEFT_DATA_DIR: dir, WEFT_DB: dbUrl });
    const serverPid = server.process.pid!;
    try {
      const cookie = await signInCookie(server.url);
      const keyAt = (i: number) => seeded.sampleKeys[i % seeded.sampleKeys.length]!;
      const flows = {
        search_page: (i: number) => `/search?q=${encodeURIComponent(keyAt(i))}`,
        session_page: (i: number) => `/sessions/${encodeURIComponent(`s-${keyAt(i)}`)}`,
        dashboard_90d_page: () => '/dashboards?range=90d',
        dashboard_90d_api: () => '/api/dashboards?range=90d',
      };
      const firstDashboardMs = await timed(server.url + flows.dashboard_90d_page(), cookie);
      console.log(`first 90-day dashboard load: ${firstDashboardMs.toFixed(0)} ms`);
      for (let i = 0; i < 5; i++)
        for (const flow of Object.values(flows)) await timed(server.url + flow(i), cookie);
      const perRound: Record<string, number[]> = {};
      const push = (name: string, value: number) => (perRound[name] ??= []).push(value);
      for (let round = 0; round < rounds; round++) {
        const samples: Record<string, number[]> = {};
        const cpuBefore = processTreeCpuMs(serverPid);
        for (let i = 0; i < requests; i++) {
          const n = round * requests + i;
          const search = await timed(server.url + flows.search_page(n), cookie);
          const session = await timed(server.url + flows.session_page(n), cookie);
          (samples.search_page ??= []).push(search);
          (samples.session_page ??= []).push(session);
          (samples.search_to_tree ??= []).push(search + session);
        }
        push('search_to_tree.server_cpu_ms', (processTreeCpuMs(serverPid) - cpuBefore) / requests);
        const dashboards = Math.max(1, Math.floor(requests / 4));
        const dashboardCpuBefore = processTreeCpuMs(serverPid);
        for (let i = 0; i < dashboards; i++)
          (samples.dashboard_90d_page ??= []).push(
            await timed(server.url + flows.dashboard_90d_page(), cookie),
          );
        push(
          'dashboard_90d_page.server_cpu_ms',
          (processTreeCpuMs(serverPid) - dashboardCpuBefore) / dashboards,
        );
        for (let i = 0; i < dashboards; i++)
          (samples.dashboard_90d_api ??= []).push(
            await timed(server.url + flows.dashboard_90d_api(), cookie),
          );
        for (const [name, list] of Object.entries(samples)) {
          push(`${name}.p50`, percentile(list, 50));
          push(`${name}.p95`, percentile(list, 95));
        }
        console.log(
          `round ${round + 1}/${rounds}: search→tree p50 ${percentile(samples.search_to_tree!, 50).toFixed(1)} ms, p95 ${percentile(samples.search_to_tree!, 95).toFixed(1)} ms; 90-day dashboard page p95 ${percentile(samples.dashboard_90d_page!, 95).toFixed(1)} ms`,
        );
      }
      for (let round = 0; round < rounds; round++) {
        const cpuBefore = processTreeCpuMs(serverPid);
        const load = await concurrentFlows(users, userFlows, async (n) => {
          const i = (round + 1) * 7_919 + n;
          return (
            (await timed(server.url + flows.search_page(i), cookie)) +
            (await timed(server.url + flows.session_page(i), cookie))
          );
        });
        const cpuSeconds = (processTreeCpuMs(serverPid) - cpuBefore) / 1000;
        push('concurrent_search_to_tree.p50', load.p50);
        push('concurrent_search_to_tree.p95', load.p95);
        push('concurrent_search_to_tree.p99', load.p99);
        push('concurrent_flows_per_s', load.flowsPerSecond);
        push('concurrent_flows_per_server_cpu_s', (users * userFlows - load.failed) / cpuSeconds);
        push('concurrent_failed_flows', load.failed);
        console.log(
          `load round ${round + 1}/${rounds}: ${users} users, search→tree p99 ${load.p99.toFixed(0)} ms, ${load.flowsPerSecond.toFixed(1)} flows/s, ${((users * userFlows - load.failed) / cpuSeconds).toFixed(1)} flows per server CPU-s, ${load.failed} failed`,
        );
      }
      let browser: BrowserTimes | null = null;
      if (browserRounds > 0 && chromiumOrSkip() !== null)
        browser = await measureBrowser({
          url: server.url,
          email: BENCH_EMAIL,
          password: PASSWORD,
          keys: seeded.sampleKeys,
          rounds: browserRounds,
          flows: browserFlows,
        });
      const unitOf = (name: string) =>
        name.endsWith('per_s')
          ? 'flows/s'
          : name.endsWith('cpu_s')
            ? 'flows/cpu-s'
            : name.endsWith('failed_flows')
              ? 'flows'
              : 'ms';
      const metrics: Metric[] = [
        ...Object.entries(perRound).map(([name, runs]) =>
          metric(name, unitOf(name), runs, undefined, 1),
        ),
        ...(browser ? browserMetrics(browser) : []),
      ];
      for (const m of metrics)
        console.log(
          `${m.name.padEnd(42)} median ${m.median.toFixed(1)} ${m.unit}  (min ${m.min.toFixed(1)}, max ${m.max.toFixed(1)}${m.params ? `, p95 ${m.params.p95}` : ''})`,
        );
      if (values.json) {
        writeBenchResult(values.json, {
          benchmark: 'web.server-time',
          command: commandLine(),
          startedAt,
          params: {
            sessions,
            rounds,
            requests,
            users,
            userFlows,
            backend,
            reusedStore: seeded.reused,
            seedMs: Math.round(seeded.ms),
            seedSessionsPerCpuSecond:
              seeded.written === 0 ? null : Math.round(seeded.written / (seeded.cpuMs / 1000)),
            firstDashboardMs: Math.round(firstDashboardMs),
            browserRounds: browser ? browserRounds : 0,
            browserFlows,
            browserColdDashboardRenderedMs: browser
              ? Math.round(browser.coldDashboard.rendered)
              : null,
            scale,
          },
          metrics,
        });
        console.log(`wrote ${values.json}`);
      }
    } finally {
      server.process.kill('SIGTERM');
    }
  } finally {
    if (!values.store) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
