import { STORE_RETRY_SECONDS } from '@/lib/store-outage';
import { htmlPage } from './html-page';

/**
 * The page every page request gets while the session store is unreachable:
 * 503 with `Retry-After`, a message that says what is wrong, and a reload
 * every few seconds (a meta refresh: no script needed), so the page the user
 * asked for opens by itself once the store answers. Nothing of the failure
 * (host, driver, error code) is in it; the server log has the code.
 *
 * @example storeUnreachableResponse('nonce123').status // 503
 */
export function storeUnreachableResponse(nonce: string): Response {
  return new Response(storeUnreachableHtml(nonce), {
    status: 503,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': String(STORE_RETRY_SECONDS),
    },
  });
}

function storeUnreachableHtml(nonce: string): string {
  return htmlPage(nonce, {
    title: 'Weft — the session store is unreachable',
    testId: 'store-unreachable',
    head: `<meta http-equiv="refresh" content="${STORE_RETRY_SECONDS}">\n`,
    body: `<h1>The session store is unreachable — retrying</h1>
<p>Weft cannot reach its session store (the database in <code>WEFT_DB</code>) right now, so this page cannot be shown.</p>
<p>This page tries again every ${STORE_RETRY_SECONDS} seconds and opens by itself as soon as the store answers. Nothing needs a restart.</p>
<p class="muted">Still here after a minute? Check that the database is running and reachable from the web server; the server log names the error. <a href="">Try now</a></p>`,
  });
}
