import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import type { APIRequestContext, Browser } from 'playwright-core';
import { cspViolations, newPage, signIn } from './harness';
import { HOSTILE_MARKUP, KNOWN_ORDERS } from './seed';

/**
 * The web part of the reliability and security issue, run against the
 * production build: headers and CSP, session cookie attributes, CSRF, markup
 * in records rendered inert, SQL-injection attempts answered with results or
 * a 400, and the sign-in rate limit.
 */

/** Pages' CSP carries a fresh nonce and every script of the page carries it; API answers deny all. */
export async function checkHeaders(baseURL: string): Promise<void> {
  const api = await request.newContext({ baseURL });
  try {
    const first = await api.get('/login');
    const second = await api.get('/login');
    const csp = first.headers()['content-security-policy'] ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, `the login page's CSP has no nonce: ${csp}`);
    assert.notEqual(
      nonce,
      /'nonce-([^']+)'/.exec(second.headers()['content-security-policy'] ?? '')?.[1],
    );
    assert.match(csp, /script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    const scripts = [...(await first.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(scripts.length > 0, 'the login page has scripts');
    for (const tag of scripts)
      assert.ok(tag.includes(`nonce="${nonce}"`), `script without the nonce: ${tag}`);
    for (const response of [first, await api.get('/api/sessions/search?q=x')]) {
      const h = response.headers();
      assert.equal(h['x-content-type-options'], 'nosniff');
      assert.equal(h['x-frame-options'], 'DENY');
      assert.ok(h['referrer-policy']);
      assert.ok(h['strict-transport-security']);
    }
    assert.match(
      (await api.get('/api/sessions/search?q=x')).headers()['content-security-policy'] ?? '',
      /default-src 'none'/,
    );
  } finally {
    await api.dispose();
  }
  assert.deepEqual(cspViolations, [], 'pages of this run reported CSP violations');
}

/** The better-auth session cookie after a browser sign-in: HttpOnly and SameSite=Lax (Secure needs HTTPS). */
export async function checkSessionCookie(
  browser: Browser,
  baseURL: string,
  email: string,
  password: string,
): Promise<void> {
  const { page, context } = await newPage(browser, baseURL);
  try {
    await signIn(page, email, password);
    const cookie = (await context.cookies()).find((c) => c.name.endsWith('session_token'));
    assert.ok(cookie, 'a session cookie is set');
    assert.equal(cookie.httpOnly, true, 'HttpOnly');
    assert.equal(cookie.sameSite, 'Lax', 'SameSite');
    assert.equal(await page.evaluate(() => document.cookie.includes('session_token')), false);
  } finally {
    await context.close();
  }
}

/** A signed-in operator's cookies cannot be borrowed by another site, nor by a form post. */
export async function checkCsrf(operator: APIRequestContext): Promise<void> {
  const url = `/api/sessions/${encodeURIComponent(`s-${KNOWN_ORDERS.ok}`)}/annotate`;
  const data = { correct: false, note: 'forged' };
  const forged = [
    await operator.post(url, { data, headers: { origin: 'https://evil.test' } }),
    await operator.post(url, { data, headers: { 'sec-fetch-site': 'cross-site' } }),
    await operator.post('/api/templates/publish', {
      data: { definition: {} },
      headers: { origin: 'null' },
    }),
  ];
  for (const response of forged) assert.equal(response.status(), 403, await response.text());
  const form = await operator.post(url, { form: { correct: 'false' } });
  assert.equal(form.status(), 415, 'a form-encoded mutation is refused');
  const detail = (await (
    await operator.get(`/api/sessions/${encodeURIComponent(`s-${KNOWN_ORDERS.ok}`)}`)
  ).json()) as {
    actions?: unknown[];
  };
  assert.equal(JSON.stringify(detail).includes('forged'), false, 'no forged annotation was stored');
  const own = await operator.post(url, { data: { correct: true, note: 'same origin' } });
  assert.equal(own.status(), 201, `the app's own request passes: ${await own.text()}`);
}

/** Markup in raw records, fields, dimension values and the business key shows as text everywhere. */
export async function checkInertMarkup(
  browser: Browser,
  baseURL: string,
  email: string,
  password: string,
): Promise<void> {
  const { page, context } = await newPage(browser, baseURL, 1920);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  try {
    await signIn(page, email, password);
    // [page, whether the planted markup must be visible there as text]
    const visits: [string, boolean][] = [
      [`/search?q=${encodeURIComponent(KNOWN_ORDERS.hostile)}`, true],
      [`/search?q=${encodeURIComponent(`channel=${HOSTILE_MARKUP.channel}`)}`, true],
      [`/sessions/${encodeURIComponent(`s-${KNOWN_ORDERS.hostile}`)}`, true],
      [`/dashboards?range=7d&dim=channel`, false], // one session: may rank below the top values
      [
        `/dashboards?range=7d&dim=channel&value=${encodeURIComponent(HOSTILE_MARKUP.channel)}`,
        true,
      ],
      [`/templates/wizard?template=in-app-purchase`, false],
    ];
    for (const [url, visible] of visits) {
      const response = await page.goto(url);
      assert.equal(response?.status(), 200, `${url} answers`);
      await page.waitForLoadState('networkidle');
      if (url.startsWith('/sessions/')) {
        await page.getByTestId('node-detail').waitFor();
        for (const button of await page.getByTestId('behavior-tree').locator('li button').all())
          await button.click();
        await page.getByText(HOSTILE_MARKUP.region).first().waitFor();
      }
      if (url.startsWith('/templates/wizard')) await page.getByTestId('preview-summary').waitFor();
      const shown = (await page.locator('main').textContent()) ?? '';
      if (visible) assert.ok(shown.includes('<img src=x'), `${url} shows the markup as text`);
      assert.equal(
        await page.locator('img[src="x"], b[onmouseover]').count(),
        0,
        `${url} made elements from data`,
      );
      assert.equal(
        await page.evaluate(() => (window as { __xss?: number }).__xss ?? 0),
        0,
        `${url} ran planted code`,
      );
    }
    assert.deepEqual(dialogs, [], 'no planted alert() ran');
  } finally {
    await context.close();
  }
}

/** Search values, field names and dashboard dimensions written as SQL: results or a 400, never a database error. */
export async function checkSqlInjection(
  reader: APIRequestContext,
  manager: APIRequestContext,
): Promise<void> {
  const values = [
    "' OR '1'='1",
    "O1'; DROP TABLE sessions; --",
    "order_id=' OR 1=1 --",
    "order_id' OR '1'='1=x",
    '`order_id`=1',
    '"; SELECT sleep(5); --=1',
    "trans_id=%' OR '%'='*",
    'pay_latency_ms>=1 OR 1=1',
    "x\\' UNION SELECT email, 1, 1 FROM auth_user --",
    'channel=\\',
    '__proto__=1',
    "a'b=c'd",
    `${'x'.repeat(3000)}=1`,
  ];
  const urls = [
    ...values.map((q) => `/api/sessions/search?q=${encodeURIComponent(q)}`),
    ...values.map((q) => `/search?q=${encodeURIComponent(q)}`),
  ];
  const dashboards = [
    `/api/dashboards?range=30d&dim=${encodeURIComponent("channel' OR 1=1 --")}&value=x`,
    `/api/dashboards?range=30d&dim=channel&value=${encodeURIComponent("' OR '1'='1")}`,
    `/api/dashboards?range=30d&dim=%24conclusion&value=${encodeURIComponent('x"; DROP TABLE sessions; --')}`,
    `/api/dashboards?range=30d&template=${encodeURIComponent("in-app-purchase' --")}`,
  ];
  for (const [client, list] of [
    [reader, urls],
    [manager, dashboards],
  ] as const) {
    for (const url of list) {
      const response = await client.get(url);
      const body = await response.text();
      assert.ok(
        [200, 400].includes(response.status()),
        `${url}: HTTP ${response.status()} ${body.slice(0, 300)}`,
      );
      assert.doesNotMatch(
        body,
        /SQLITE_|ER_[A-Z_]+|syntax error|sqlMessage|StorageError/,
        `${url} leaks a database error`,
      );
    }
  }
  const still = await reader.get(`/api/sessions/search?q=${encodeURIComponent(KNOWN_ORDERS.ok)}`);
  assert.match(await still.text(), new RegExp(KNOWN_ORDERS.ok), 'the sessions are all still there');
}

/** better-auth's limiter: a burst of sign-in attempts from one address gets 429. Run last (it locks sign-in for 10 s). */
export async function checkSignInRateLimit(baseURL: string): Promise<void> {
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await api.post('/api/auth/sign-in/email', {
        data: { email: 'nobody@weft.test', password: `wrong-password-${i}` },
      });
      statuses.push(response.status());
    }
    assert.ok(
      statuses.includes(429),
      `5 rapid sign-ins should meet the limiter, got ${statuses.join(', ')}`,
    );
  } finally {
    await api.dispose();
  }
}
