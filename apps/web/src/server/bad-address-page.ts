import { escapeHtml, htmlPage } from './html-page';
import type { MalformedAddress } from './page-address';

/**
 * The 400 page of a malformed address: names each bad parameter (or path
 * segment) with the reason, and says where to go instead. Everything taken
 * from the address is escaped.
 *
 * @example badAddressResponse('bm9uY2U=', { what: 'dashboard link', issues: [{ field: 'range', reason: 'one of 1h, 24h' }], help }).status // 400
 */
export function badAddressResponse(
  nonce: string,
  address: Pick<MalformedAddress, 'what' | 'issues' | 'help'>,
): Response {
  const { what, issues, help } = address;
  const items = issues
    .map((issue) => `<li><code>${escapeHtml(issue.field)}</code>: ${escapeHtml(issue.reason)}</li>`)
    .join('\n');
  const html = htmlPage(nonce, {
    title: `Weft — this ${what} is malformed`,
    testId: 'bad-params',
    body: `<h1>This ${escapeHtml(what)} is malformed (400)</h1>
<ul>
${items}
</ul>
<p>${escapeHtml(help.text)} <a href="${escapeHtml(help.href)}">${escapeHtml(help.label)}</a></p>
<p class="muted">A link copied from Weft opens as it was; check that it was not cut or edited.</p>`,
  });
  return new Response(html, {
    status: 400,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}
