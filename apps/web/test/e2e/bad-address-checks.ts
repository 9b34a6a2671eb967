import assert from 'node:assert/strict';
import type { APIRequestContext, APIResponse } from 'playwright-core';
import { escapeHtml } from '../../src/server/html-page';
import { purchaseTemplate } from './seed';

/**
 * A malformed address answers 400, from the Proxy, before any page runs:
 * a page link whose query its page's parser refuses (to those who may open
 * the page: the signed-out still go to sign in, other roles still get 403),
 * and a path segment that is not valid percent-encoding (which Next alone
 * answers with 500), as HTML for pages and JSON under /api/. Each 400 page
 * names the parameter and the reason, offers a way back, and carries the
 * usual security headers; well-formed addresses still answer 200.
 */
export async function checkBadAddresses(clients: {
  anonymous: APIRequestContext;
  operator: APIRequestContext;
  manager: APIRequestContext;
}): Promise<void> {
  const template = purchaseTemplate().id;
  const { anonymous, operator, manager } = clients;
  // [client, address, the parameter named, a phrase of the reason, the way back]
  const pages: [APIRequestContext, string, string, string, string][] = [
    [operator, '/search?q=O1&limit=abc', 'limit', 'from 1 to 200', '/search'],
    [operator, '/search?q=O1&q=O2', 'q', 'given 2 times', '/search'],
    [manager, '/dashboards?range=2w', 'range', 'one of 1h, 24h, 7d, 30d, 90d', '/dashboards'],
    [manager, '/dashboards?range=7d&range=30d', 'range', 'given 2 times', '/dashboards'],
    [operator, '/entities/device/D1', 'template', 'add ?template=', '/search'],
    [
      operator,
      `/entities/device/D1?template=${template}&depth=9`,
      'depth',
      'from 1 to 3',
      '/search',
    ],
    [
      manager,
      `/entities/device/D1?template=${template}&range=1y`,
      'range',
      'one of 24h',
      '/search',
    ],
    [operator, '/sessions/%E0%A4%A', 'path segment 2', '"%E0%A4%A" is not valid', '/'],
    [operator, '/entities/account/%ZZ?template=x', 'path segment 3', '"%ZZ" is not valid', '/'],
    [anonymous, '/sessions/%', 'path segment 2', '"%" is not valid', '/'],
  ];
  for (const [client, url, field, reason, back] of pages) {
    const response = await client.get(url, { maxRedirects: 0 });
    const html = await response.text();
    assert.equal(response.status(), 400, `${url}: ${html.slice(0, 300)}`);
    assert.equal(response.headers()['content-type'], 'text/html; charset=utf-8', url);
    assert.match(html, /is malformed \(400\)/, url);
    assert.ok(html.includes(`<li><code>${field}</code>: `), `${url} names ${field}`);
    assert.ok(html.includes(escapeHtml(reason)), `${url} says ${reason}`);
    assert.ok(html.includes(`<a href="${back}">`), `${url} links back to ${back}`);
    assertPageHardening(response, html, url);
  }

  const api = await operator.get('/api/sessions/%ZZ');
  assert.equal(api.status(), 400, await api.text());
  assert.match(api.headers()['content-type'] ?? '', /^application\/json/);
  assert.match(api.headers()['content-security-policy'] ?? '', /default-src 'none'/);
  const body = (await api.json()) as { error: string; issues: { field: string; reason: string }[] };
  assert.equal(body.error, 'bad_request');
  assert.equal(body.issues[0]?.field, 'path segment 3');
  assert.match(body.issues[0]?.reason ?? '', /^"%ZZ" is not valid percent-encoding/);

  // Sign-in and role come first: a malformed link tells only those who may open the page.
  const signedOut = await anonymous.get('/dashboards?range=2w', { maxRedirects: 0 });
  assert.equal(signedOut.status(), 307, 'the signed-out are sent to sign in');
  assert.equal(new URL(signedOut.headers().location ?? '', 'http://x').pathname, '/login');
  const wrongRole = await operator.get('/dashboards?range=2w', { maxRedirects: 0 });
  assert.equal(wrongRole.status(), 403, 'an operator gets the 403 page, not the 400');

  for (const [client, url] of [
    [operator, '/search?q=O1&limit=20'],
    [manager, '/dashboards?range=7d'],
    [operator, '/entities/device/D%201?template=x'], // well-formed, unknown: the page's 404
  ] as const) {
    const response = await client.get(url, { maxRedirects: 0 });
    const expected = url.startsWith('/entities/') ? 404 : 200;
    assert.equal(response.status(), expected, `${url}: ${(await response.text()).slice(0, 300)}`);
  }
}

/** The page CSP with a fresh nonce that the page's one `<style>` carries, and the hardening headers. */
function assertPageHardening(response: APIResponse, html: string, url: string): void {
  const headers = response.headers();
  const nonce = /'nonce-([^']+)'/.exec(headers['content-security-policy'] ?? '')?.[1];
  assert.ok(nonce, `${url}: the CSP has a nonce`);
  assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
  assert.ok(html.includes(`<style nonce="${nonce}">`), `${url}: its style carries the nonce`);
  assert.doesNotMatch(html, /<script/, `${url}: no script`);
  assert.equal(headers['x-content-type-options'], 'nosniff', url);
  assert.equal(headers['x-frame-options'], 'DENY', url);
  assert.ok(headers['strict-transport-security'], url);
  assert.ok(headers['referrer-policy'], url);
  assert.equal(headers['cache-control'], 'no-store', url);
}
