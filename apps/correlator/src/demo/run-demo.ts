import { CorrelatorError, messageOf } from '../errors.js';
import type { DemoData } from './demo-data.js';
import { prepareDemoData } from './demo-data.js';
import { demoLivePaths, demoPaths, persistedSecret } from './demo-files.js';
import { runDemoLive } from './demo-live.js';
import type { DemoLiveResult } from './demo-live.js';
import type { DemoOptions } from './demo-options.js';
import type { ConclusionCounts } from './demo-report.js';
import { countConclusions } from './demo-report.js';
import { formatDataSummary, formatLogins, inspectHints } from './demo-summary.js';
import { demoLogins, seedDemoUsers } from './demo-users.js';
import type { DemoLogin } from './demo-users.js';
import type { WebApp } from './web-app.js';
import { WebAppError, ensureWebBuild, startWebApp } from './web-app.js';

export interface DemoIo {
  out: (line: string) => void;
  now: () => number;
  /** Resolves when the demo is asked to stop (SIGINT or SIGTERM). */
  stopRequested: Promise<string>;
  /** Called once the data is complete: from then on a stop request is handled in order. */
  dataReady?: () => void;
}

/** What a demo run did; `web` is absent with `--no-web`, `live` with `--rate 0`. */
export interface DemoResult {
  data: DemoData;
  counts: ConclusionCounts;
  web?: { url: string; logins: DemoLogin[] };
  live?: DemoLiveResult;
}

/**
 * `weft demo`: prepares (or reuses) the demo data, prints what is stored,
 * serves the web app on it with one account per role, and correlates live
 * simulated traffic into the same store (`runDemoLive`) until stopped (or
 * for `--duration`). With `--no-web --rate 0` it stops after the summary.
 *
 * @example await runDemo(parseDemoOptions({ orders: '50', seed: '1', port: '3000', web: false }), io)
 */
export async function runDemo(options: DemoOptions, io: DemoIo): Promise<DemoResult> {
  const { out } = io;
  out(`weft demo: data in ${options.dataDir}`);
  const data = await prepareDemoData(options, out, io.now());
  const counts = await countConclusions(data.dbUrl);
  io.dataReady?.();
  for (const line of formatDataSummary(options.dataDir, data, counts)) out(line);
  if (!options.web) {
    out('web app: not started (--no-web)');
    for (const line of inspectHints(options.dataDir, data.dbUrl)) out(line);
    if (options.rate === 0) return { data, counts };
  }
  const web = options.web ? await startWithUsers(options, data.dbUrl, io) : undefined;
  if (web !== undefined) {
    out('');
    if (!web.app.url.endsWith(`:${options.port}`)) {
      out(`port ${options.port} is taken on 127.0.0.1: using a free one instead`);
    }
    out(
      `web app: ${web.app.url}  (apps/web, next start; log: ${demoPaths(options.dataDir).webLog})`,
    );
    for (const line of formatLogins(web.logins)) out(line);
  }
  const stopLive = new AbortController();
  const live = options.rate === 0 ? undefined : startLive(options, data, io, stopLive.signal);
  out(
    options.durationSeconds === null
      ? 'Press Ctrl-C to stop.'
      : `Stopping by itself in ${options.durationSeconds} s (or press Ctrl-C).`,
  );
  const timer = stopAfter(options.durationSeconds);
  const reason = await Promise.race([
    io.stopRequested,
    timer.elapsed,
    // A live phase that fails stops the demo (its error is thrown below).
    ...(live === undefined ? [] : [live.then(() => 'live traffic ended').catch(() => 'failure')]),
  ]);
  timer.cancel();
  out(`${reason}: stopping …`);
  stopLive.abort();
  try {
    const liveResult = await live;
    if (liveResult !== undefined) {
      for (const [scenario, line] of Object.entries(liveResult.correlated)) {
        out(`  live ${scenario}: ${liveResult.produced[scenario] ?? 0} records sent; ${line}`);
      }
    }
    return {
      data,
      counts: await countConclusions(data.dbUrl),
      ...(web === undefined ? {} : { web: { url: web.app.url, logins: web.logins } }),
      ...(liveResult === undefined ? {} : { live: liveResult }),
    };
  } finally {
    await web?.app.stop();
    out('stopped.');
  }
}

function startLive(
  options: DemoOptions,
  data: DemoData,
  io: DemoIo,
  signal: AbortSignal,
): Promise<DemoLiveResult> {
  io.out(
    `live traffic: ${options.rate} new orders a minute per scenario, correlated as they arrive ` +
      `(weft correlate's live path over an in-process log; log: ${demoLivePaths(options.dataDir).log})`,
  );
  return runDemoLive({
    dataDir: options.dataDir,
    dbUrl: data.dbUrl,
    ordersPerMinute: options.rate,
    seed: options.seed,
    batchOrders: data.manifest.orders,
    now: io.now,
    signal,
  });
}

/** A promise that resolves `after N s` once the duration has passed; never without one. */
function stopAfter(seconds: number | null): { elapsed: Promise<string>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<string>((resolve) => {
    if (seconds !== null) timer = setTimeout(() => resolve(`after ${seconds} s`), seconds * 1_000);
  });
  return { elapsed, cancel: () => clearTimeout(timer) };
}

async function startWithUsers(
  options: DemoOptions,
  dbUrl: string,
  io: DemoIo,
): Promise<{ app: WebApp; logins: DemoLogin[] }> {
  const paths = demoPaths(options.dataDir);
  const abort = new AbortController();
  void io.stopRequested.then(() => abort.abort());
  let app: WebApp | undefined;
  try {
    await ensureWebBuild(paths.buildLog, io.out, abort.signal);
    io.out('starting the web app (next start) …');
    app = await startWebApp({
      port: options.port,
      env: {
        WEFT_DATA_DIR: options.dataDir,
        WEFT_DB: dbUrl,
        BETTER_AUTH_SECRET: persistedSecret(paths.authSecret),
      },
      logFile: paths.webLog,
      signal: abort.signal,
    });
    const logins = demoLogins(paths.logins);
    await seedDemoUsers(app.url, logins);
    return { app, logins };
  } catch (error) {
    await app?.stop();
    if (abort.signal.aborted) throw new DemoInterruptedError('stopped while starting the web app');
    io.out(`web app: NOT running: ${messageOf(error)}`);
    for (const line of inspectHints(options.dataDir, dbUrl)) io.out(line);
    if (error instanceof WebAppError) {
      throw new CorrelatorError('the web app did not start (see above); the demo data is kept');
    }
    throw error;
  }
}

/** The demo was stopped before it was up; the command exits 0. */
export class DemoInterruptedError extends CorrelatorError {
  override name = 'DemoInterruptedError' as const;
}
