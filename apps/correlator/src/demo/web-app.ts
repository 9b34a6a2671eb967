import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { CorrelatorError } from '../errors.js';
import { REPO_ROOT } from './demo-options.js';

const WEB_DIR = path.join(REPO_ROOT, 'apps', 'web');
const NEXT_BIN = path.join(REPO_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const READY_TIMEOUT_MS = 90_000;
/** A server that keeps answering 5xx this long after it listens is broken, not warming up. */
const SERVER_ERROR_GRACE_MS = 10_000;

/** A web app failure: the message says what failed and where its log is. */
export class WebAppError extends CorrelatorError {
  override name = 'WebAppError' as const;
}

/** A running `next start` of apps/web. */
export interface WebApp {
  url: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and resolves once it has exited. */
  stop: () => Promise<void>;
}

/**
 * Makes sure apps/web has a production build, building it once
 * (`npm run build -w @weft/web`, output in `logFile`) when it has none.
 *
 * @example await ensureWebBuild('.weft/demo/web-build.log', console.log)
 */
export async function ensureWebBuild(
  logFile: string,
  out: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (!existsSync(path.join(WEB_DIR, 'package.json')) || !existsSync(NEXT_BIN)) {
    throw new WebAppError(
      `apps/web or its next dependency is missing (${NEXT_BIN}); run \`npm ci\` at the repository root`,
    );
  }
  if (existsSync(path.join(WEB_DIR, '.next', 'BUILD_ID'))) return;
  out(`building the web app (npm run build -w @weft/web; log: ${logFile}) …`);
  const code = await runLogged(['run', 'build', '-w', '@weft/web'], logFile, signal);
  if (signal?.aborted) throw new WebAppError('the web app build was interrupted');
  if (code !== 0) {
    throw new WebAppError(
      `building apps/web failed (exit ${code}); the last lines of ${logFile}:\n${tail(logFile)}`,
    );
  }
}

/**
 * Starts `next start` for apps/web on 127.0.0.1 (the preferred port, else a
 * free one) with `env`, and waits until it answers.
 *
 * @example const web = await startWebApp({ port: 3000, env: { WEFT_DB: 'sqlite:…' }, logFile });
 */
export async function startWebApp(options: {
  port: number;
  env: Record<string, string>;
  logFile: string;
  /** Aborting it while the server starts stops the server. */
  signal?: AbortSignal;
}): Promise<WebApp> {
  const port = (await isPortFree(options.port)) ? options.port : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: WEB_DIR,
      env: { ...process.env, ...options.env, WEFT_BASE_URL: url, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = () => stopChild(child, exited);
  try {
    await waitUntilReady(url, exited, options.logFile, options.signal);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitUntilReady(
  url: string,
  exited: Promise<number | null>,
  logFile: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let failingSince: number | undefined;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new WebAppError('the web app start was interrupted');
    if (exitCode !== undefined) {
      throw new WebAppError(
        `next start exited with code ${exitCode}; the last lines of ${logFile}:\n${tail(logFile)}`,
      );
    }
    try {
      const response = await fetch(`${url}/login`, { redirect: 'manual' });
      if (response.status < 500) return;
      failingSince ??= Date.now();
      if (Date.now() - failingSince > SERVER_ERROR_GRACE_MS) {
        throw new WebAppError(
          `next start answers ${url}/login with HTTP ${response.status}; the last lines of ${logFile}:\n${tail(logFile)}`,
        );
      }
    } catch (error) {
      if (error instanceof WebAppError) throw error;
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new WebAppError(
    `next start did not answer ${url}/login within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`,
  );
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function runLogged(npmArgs: string[], logFile: string, signal: AbortSignal | undefined) {
  return new Promise<number>((resolve) => {
    const log = createWriteStream(logFile);
    const child = spawn('npm', npmArgs, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal === undefined ? {} : { signal }),
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.once('error', (error) => {
      log.end(`\n${error.message}\n`);
      resolve(127);
    });
    child.once('close', (code) => resolve(code ?? 1));
  });
}

function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new WebAppError('no free loopback port')),
      );
    });
  });
}
