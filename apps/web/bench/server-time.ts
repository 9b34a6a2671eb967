/**
 * Server time of the operator's search → behavior tree and of the manager's
 * 90-day dashboard, against the production build (`next start`) on an
 * embedded store seeded through @weft/storage's public API.
 *
 *   npm run bench -w @weft/web -- [--sessions N] [--rounds R] [--requests M]
 *     [--users U] [--user-flows F] [--json FILE]
 *
 * Then U users at once each do F search → session flows per round (the
 * response time each sees, queueing included, p50/p95/p99, and flows/s).
 *
 * Needs `npm run build -w @weft/web` first. Requests go over loopback from
 * this process one at a time, so the time measured is the server's (render,
 * auth, queries) plus a loopback round trip.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../test/e2e/harness';
import { concurrentFlows } from './concurrent';
import { seedBenchStore } from './seed-store';
import { percentile, summarize } from './stats';
import type { Metric } from './stats';

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
    json: { type: 'string' },
  },
});
const sessions = Number(values.sessions);
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const users = Number(values.users);
const userFlows = Number(values['user-flows']);
for (const [name, value] of Object.entries({ sessions, rounds, requests, users, userFlows }))
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);

const PASSWORD = 'bench-password-1';

async function signInCookie(url: string): Promise<string> {
  const headers = { 'content-type': 'application/json', origin: url };
  const setup = await fetch(`${url}/api/setup`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'Bench', email: 'bench@weft.test', password: PASSWORD }),
  });
  if (setup.status !== 201) throw new Error(`setup: HTTP ${setup.status} ${await setup.text()}`);
  const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email: 'bench@weft.test', password: PASSWORD }),
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

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const dir = mkdtempSync(path.join(tmpdir(), 'weft-web-bench-'));
  const dbUrl = `sqlite:${path.join(dir, 'weft.db')}`;
  try {
    console.log(`seeding ${sessions} sessions over 90 days into ${dbUrl}`);
    const seeded = await seedBenchStore(dbUrl, sessions, Date.now());
    console.log(`seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
    const server = await startServer({ WEFT_DATA_DIR: dir, WEFT_DB: dbUrl });
    try {
      const cookie = await signInCookie(server.url);
      const keyAt = (i: number) => seeded.sampleKeys[i % seeded.sampleKeys.length]!;
      const flows = {
        search_page: (i: number) => `/search?q=${encodeURIComponent(keyAt(i))}`,
        session_page: (i: number) => `/sessions/${encodeURIComponent(`s-${keyAt(i)}`)}`,
        dashboard_90d_page: () => '/dashboards?range=90d',
        dashboard_90d_api: () => '/api/dashboards?range=90d',
      };
      // The first dashboard load of a store defines its rollups (a one-time backfill): reported apart.
      const firstDashboardMs = await timed(server.url + flows.dashboard_90d_page(), cookie);
      console.log(
        `first 90-day dashboard load (defines the rollups): ${firstDashboardMs.toFixed(0)} ms`,
      );
      for (let i = 0; i < 5; i++)
        for (const flow of Object.values(flows)) await timed(server.url + flow(i), cookie);
      const perRound: Record<string, number[]> = {};
      let perRoundRates: number[] | undefined;
      const push = (name: string, value: number) => (perRound[name] ??= []).push(value);
      for (let round = 0; round < rounds; round++) {
        const samples: Record<string, number[]> = {};
        for (let i = 0; i < requests; i++) {
          const n = round * requests + i;
          const search = await timed(server.url + flows.search_page(n), cookie);
          const session = await timed(server.url + flows.session_page(n), cookie);
          (samples.search_page ??= []).push(search);
          (samples.session_page ??= []).push(session);
          (samples.search_to_tree ??= []).push(search + session);
          if (i % 4 === 0) {
            (samples.dashboard_90d_page ??= []).push(
              await timed(server.url + flows.dashboard_90d_page(), cookie),
            );
            (samples.dashboard_90d_api ??= []).push(
              await timed(server.url + flows.dashboard_90d_api(), cookie),
            );
          }
        }
        for (const [name, list] of Object.entries(samples)) {
          push(`${name}.p50`, percentile(list, 50));
          push(`${name}.p95`, percentile(list, 95));
        }
        console.log(
          `round ${round + 1}/${rounds}: search→tree p50 ${percentile(samples.search_to_tree!, 50).toFixed(1)} ms, p95 ${percentile(samples.search_to_tree!, 95).toFixed(1)} ms; 90-day dashboard page p95 ${percentile(samples.dashboard_90d_page!, 95).toFixed(1)} ms`,
        );
      }
      for (let round = 0; round < rounds; round++) {
        const load = await concurrentFlows(users, userFlows, async (n) => {
          const i = (round + 1) * 7_919 + n;
          return (
            (await timed(server.url + flows.search_page(i), cookie)) +
            (await timed(server.url + flows.session_page(i), cookie))
          );
        });
        push('concurrent_search_to_tree.p50', load.p50);
        push('concurrent_search_to_tree.p95', load.p95);
        push('concurrent_search_to_tree.p99', load.p99);
        (perRoundRates ??= []).push(load.flowsPerSecond);
        console.log(
          `load round ${round + 1}/${rounds}: ${users} users, search→tree p99 ${load.p99.toFixed(0)} ms, ${load.flowsPerSecond.toFixed(1)} flows/s`,
        );
      }
      const metrics: Metric[] = [
        ...Object.entries(perRound).map(([name, runs]) => summarize(name, 'ms', runs)),
        summarize('concurrent_flows_per_s', 'flows/s', perRoundRates ?? [0]),
      ];
      for (const m of metrics)
        console.log(
          `${m.name.padEnd(26)} median ${m.median.toFixed(1)} ${m.unit}  (min ${m.min.toFixed(1)}, max ${m.max.toFixed(1)})`,
        );
      if (values.json) {
        const command = `npm run bench -w @weft/web -- --sessions ${sessions} --rounds ${rounds} --requests ${requests} --users ${users} --user-flows ${userFlows} --json ${values.json}`;
        writeFileSync(
          values.json,
          `${JSON.stringify(
            {
              schema: 'weft.bench/1',
              benchmark: 'web.server-time',
              command,
              startedAt,
              params: {
                sessions,
                rounds,
                requests,
                users,
                userFlows,
                backend: 'sqlite',
                seedMs: Math.round(seeded.ms),
                scale,
              },
              metrics,
            },
            null,
            2,
          )}\n`,
        );
        console.log(`wrote ${values.json}`);
      }
    } finally {
      server.process.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
