import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium, request } from 'playwright-core';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';

/** The browser flags DEVELOPERS.md requires (no sandbox in containers, no network chatter). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const WEB_DIR = path.resolve(import.meta.dirname, '../..');
/**
 * Screenshots go to test-results/ on every run; `WEFT_UPDATE_SCREENSHOTS=1`
 * refreshes the ones the README shows, under docs/screenshots/.
 */
export const SCREENSHOTS =
  process.env.WEFT_UPDATE_SCREENSHOTS === '1'
    ? path.resolve(WEB_DIR, '../../docs/screenshots')
    : path.resolve(WEB_DIR, 'test-results/screenshots');

/** Where the browser is, or null (with the reason printed) when the e2e run must be skipped. */
export function chromiumOrSkip(): string | null {
  const executable = process.env.WEFT_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(executable)) return executable;
  const message = `browser e2e tests need Chromium at ${executable} (bash scripts/services/chromium.sh start)`;
  if (process.env.CI === 'true')
    throw new Error(`${message}; CI=true, so a missing browser fails the run`);
  console.warn(`SKIPPED: ${message}`);
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** `next start` of the production build on a loopback port, with the given environment. */
export async function startServer(
  env: Record<string, string>,
): Promise<{ url: string; process: ChildProcess }> {
  if (!existsSync(path.join(WEB_DIR, '.next', 'BUILD_ID'))) {
    throw new Error(
      'No production build in apps/web/.next: run `npm run build -w @weft/web` first.',
    );
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nextBin = path.resolve(WEB_DIR, '../../node_modules/next/dist/bin/next');
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: WEB_DIR,
    env: { ...process.env, ...env, WEFT_BASE_URL: url, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/login`, { redirect: 'manual' });
      if (response.status < 500) return { url, process: child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGTERM');
  throw new Error(`next start did not answer within 60 s:\n${log}`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.WEFT_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Every CSP violation any page of the run reported (the security step expects none). */
export const cspViolations: string[] = [];

export async function newPage(
  browser: Browser,
  baseURL: string,
  width = 1440,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      cspViolations.push(`${page.url()}: ${message.text()}`);
  });
  return { context, page };
}

/**
 * better-auth allows 3 sign-ins per address until 10 s pass without one (its
 * counter resets only after a quiet window): a protection the app keeps. The
 * run paces its own sign-ins by that rule instead of racing it.
 */
const SIGN_IN_WINDOW_MS = 10_000;
const SIGN_IN_MAX = 3;
let signInBurst = 0;
let lastSignIn = 0;

async function paceSignIn(): Promise<void> {
  if (Date.now() - lastSignIn >= SIGN_IN_WINDOW_MS) signInBurst = 0;
  if (signInBurst >= SIGN_IN_MAX) {
    await new Promise((resolve) =>
      setTimeout(resolve, SIGN_IN_WINDOW_MS - (Date.now() - lastSignIn) + 250),
    );
    signInBurst = 0;
  }
  signInBurst += 1;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await paceSignIn();
  await page.goto('/login');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  // `/` redirects to the role's home page: wait for that, not for `/` itself.
  try {
    await page.waitForURL((url) => !url.pathname.startsWith('/login') && url.pathname !== '/', {
      timeout: 30_000,
    });
    // The limiter counts from the POST, which happens after the page load and typing.
    lastSignIn = Date.now();
  } catch (error) {
    lastSignIn = Date.now();
    const shown =
      (await page
        .locator('main')
        .textContent()
        .catch(() => null)) ?? '';
    throw new Error(
      `sign-in of ${email} did not leave ${page.url()}; the page says: ${shown.slice(0, 300)}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * A signed-in API client (no browser): better-auth's email sign-in, paced like
 * {@link signIn}. Requests carry the app's own Origin, as a browser's would.
 */
export async function signInRequest(
  baseURL: string,
  email: string,
  password: string,
): Promise<APIRequestContext> {
  await paceSignIn();
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const response = await api.post('/api/auth/sign-in/email', { data: { email, password } });
  lastSignIn = Date.now();
  if (!response.ok())
    throw new Error(`API sign-in of ${email}: HTTP ${response.status()} ${await response.text()}`);
  return api;
}

const results: { name: string; ok: boolean; error?: string }[] = [];

/** Runs one named step; a failure is recorded (with the message) and the run continues. */
export async function step(name: string, body: () => Promise<void>): Promise<void> {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    results.push({ name, ok: false, error: message });
    console.log(`  ✗ ${name}\n    ${message.split('\n').join('\n    ')}`);
  }
}

/** Prints the closing line and writes test-results/e2e.json for the monorepo summary. */
export function summary(): number {
  const failed = results.filter((r) => !r.ok).length;
  const passed = results.length - failed;
  mkdirSync(path.join(WEB_DIR, 'test-results'), { recursive: true });
  writeFileSync(
    path.join(WEB_DIR, 'test-results', 'e2e.json'),
    JSON.stringify({
      numPassedTests: passed,
      numFailedTests: failed,
      numPendingTests: 0,
      numTodoTests: 0,
    }),
  );
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
