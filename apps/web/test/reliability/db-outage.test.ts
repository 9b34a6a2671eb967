import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { APIRequestContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIR, signInRequest, startServer } from '../e2e/harness';
import { KNOWN_ORDERS, seedDemoStore } from '../e2e/seed';

/**
 * Issue #10, database outage seen from the web app: the production build
 * (`next start`) on a private MariaDB (its own port and datadir, through
 * scripts/services/mariadb.sh, so the shared one keeps serving other tests),
 * with a signed-in user. While the server is stopped, API routes answer 503
 * with Retry-After and a message that says the database is unreachable, and
 * every page (signed in or not, document or client-navigation request)
 * answers 503 with the "unreachable — retrying" page that reloads itself,
 * without leaking the failure; once it is back, the same server process
 * answers as before again (200; 404 for an unknown session), pages
 * included, without a restart.
 */
const PORT = Number(process.env.WEFT_RELIABILITY_WEB_MYSQL_PORT ?? 33191);
const MARIADB = path.resolve(WEB_DIR, '../../scripts/services/mariadb.sh');
const ADMIN = { email: 'outage-admin@weft.test', password: 'outage-password-1' };
/** Pages of every kind (the home redirect, each signed-in segment, the sign-in page) and their status when the store is up. */
const PAGES: Record<string, number> = {
  '/': 307,
  '/search': 200,
  // Decided before the page streams: the not-found page with its 404.
  '/sessions/no-such-session': 404,
  '/dashboards': 200,
  '/entities/device/D1?template=in-app-purchase': 200,
  '/templates': 200,
  '/login': 200,
};
const built = existsSync(path.join(WEB_DIR, '.next', 'BUILD_ID'));
const services = process.env.WEFT_TEST_MYSQL_URL !== undefined;

if (!built || !services) {
  const why = !built
    ? 'no production build in apps/web/.next (npm run build -w @weft/web)'
    : 'WEFT_TEST_MYSQL_URL is not set (eval "$(bash scripts/services/all.sh env)")';
  if (process.env.CI === 'true') throw new Error(`database outage test cannot run in CI: ${why}`);
  console.warn(`[weft] SKIPPING the web database outage test: ${why}`);
}

describe.skipIf(!built || !services)('web app while MariaDB is down', () => {
  const database = `weft_web_outage_${randomBytes(5).toString('hex')}`;
  const dbUrl = `mysql://weft:weft@127.0.0.1:${PORT}/${database}`;
  let dataDir: string;
  let server: { url: string; process: ChildProcess };
  let api: APIRequestContext;
  const search = `/api/sessions/search?q=${encodeURIComponent(`order_id=${KNOWN_ORDERS.ok}`)}`;

  beforeAll(async () => {
    mariadb('start');
    await admin(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await seedDemoStore(dbUrl, Date.now(), 20);
    dataDir = mkdtempSync(path.join(tmpdir(), 'weft-web-outage-'));
    server = await startServer({
      WEFT_DATA_DIR: dataDir,
      WEFT_DB: dbUrl,
      WEFT_ADMIN_EMAIL: ADMIN.email,
      WEFT_ADMIN_PASSWORD: ADMIN.password,
    });
    // The first visit of /setup creates WEFT_ADMIN_EMAIL's account.
    await fetch(`${server.url}/setup`, { redirect: 'manual' });
    api = await signInRequest(server.url, ADMIN.email, ADMIN.password);
  }, 420_000);

  afterAll(async () => {
    await api?.dispose();
    server?.process.kill('SIGTERM');
    mariadb('start');
    await admin(`DROP DATABASE IF EXISTS ${database}`);
    mariadb('stop');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('answers 503 with a clear message during the outage and recovers without a restart', async () => {
    const before = await api.get(search);
    expect(before.status(), await before.text()).toBe(200);
    expect((await before.json()).rows.length).toBe(1);

    mariadb('stop');
    try {
      const during = await api.get(search);
      expect(during.status(), await during.text()).toBe(503);
      expect(during.headers()['retry-after']).toBe('5');
      expect((await during.json()).error).toMatch(
        /failed: the database is unreachable \((ECONNREFUSED|PROTOCOL_CONNECTION_LOST|ECONNRESET)\)/,
      );
      const detail = await api.get(`/api/sessions/${encodeURIComponent('no-such-session')}`);
      expect(detail.status()).toBe(503);

      for (const page of Object.keys(PAGES)) {
        const response = await api.get(page, { maxRedirects: 0 });
        const html = await response.text();
        expect(response.status(), `${page}: ${html.slice(0, 300)}`).toBe(503);
        expect(response.headers()['retry-after'], page).toBe('5');
        expect(html, page).toContain('The session store is unreachable — retrying');
        expect(html, page).toContain('<meta http-equiv="refresh" content="5">');
        expect(html, page).not.toMatch(/ECONNREFUSED|PROTOCOL_CONNECTION_LOST|node_modules|mysql2/);
      }
      // A client-side navigation (an RSC request) gets the same 503: the
      // router then loads the page as a document, which retries by itself.
      const navigation = await api.get('/search', { headers: { rsc: '1' }, maxRedirects: 0 });
      expect(navigation.status()).toBe(503);
    } finally {
      mariadb('start');
    }

    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await api.get(search)).status();
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(status).toBe(200);
    expect(server.process.exitCode).toBeNull();
    const after = await api.get(search);
    expect((await after.json()).rows.length).toBe(1);
    for (const [page, up] of Object.entries(PAGES)) {
      const response = await api.get(page, { maxRedirects: 0 });
      expect(response.status(), page).toBe(up);
    }
    const found = await api.get(`/search?q=${encodeURIComponent(KNOWN_ORDERS.ok)}`);
    expect(await found.text()).toContain(KNOWN_ORDERS.ok);
  }, 120_000);
});

/** `WEFT_MYSQL_PORT=PORT scripts/services/mariadb.sh start|stop`: the private instance. */
function mariadb(command: 'start' | 'stop'): void {
  const result = spawnSync('bash', [MARIADB, command], {
    env: { ...process.env, WEFT_MYSQL_PORT: String(PORT) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`WEFT_MYSQL_PORT=${PORT} ${MARIADB} ${command} failed:\n${result.stderr}`);
  }
}

async function admin(sql: string): Promise<void> {
  const connection = await createConnection({
    host: '127.0.0.1',
    port: PORT,
    user: 'weft',
    password: 'weft',
  });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}
