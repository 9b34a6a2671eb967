import assert from 'node:assert/strict';
import type { APIRequestContext } from 'playwright-core';
import { KNOWN_ORDERS, purchaseTemplate } from './seed';

/**
 * Link checkers and API consumers following links need a real status: a
 * session id or an entity address that names nothing answers 404 with the
 * not-found page; a stored session or entity answers 200 with its content.
 * (A not-found decided before streaming comes as Next's error shell: the
 * page's text is in the response's RSC payload and the browser renders it.)
 */
export async function checkNotFound(operator: APIRequestContext): Promise<void> {
  const template = purchaseTemplate().id;
  const sessionId = `s-${KNOWN_ORDERS.ok}`;
  const detail = await operator.get(`/api/sessions/${encodeURIComponent(sessionId)}`);
  assert.equal(detail.status(), 200, await detail.text());
  const { session } = (await detail.json()) as { session: { fields: Record<string, unknown> } };
  const device = String(session.fields.device_id);

  const found: [string, string][] = [
    [`/sessions/${encodeURIComponent(sessionId)}`, KNOWN_ORDERS.ok],
    [`/entities/device/${encodeURIComponent(device)}?template=${template}`, 'Linked entities'],
  ];
  for (const [url, content] of found) {
    const response = await operator.get(url, { maxRedirects: 0 });
    const html = await response.text();
    assert.equal(response.status(), 200, `${url}: ${html.slice(0, 300)}`);
    assert.ok(html.includes(content), `${url} shows ${content}`);
  }

  const missing: [string, string][] = [
    ['/sessions/no-such-session', 'No such session'],
    [`/entities/device/NO-SUCH-DEVICE?template=${template}`, 'No such entity'],
    [`/entities/no_such_kind/${encodeURIComponent(device)}?template=${template}`, 'No such entity'],
    [`/entities/device/${encodeURIComponent(device)}?template=no-such-template`, 'No such entity'],
  ];
  for (const [url, notice] of missing) {
    const response = await operator.get(url, { maxRedirects: 0 });
    const html = await response.text();
    assert.equal(response.status(), 404, `${url}: ${html.slice(0, 300)}`);
    assert.ok(html.includes(notice), `${url} shows ${notice}`);
  }
}
