/**
 * A small self-contained HTML page for answers the Proxy gives before any
 * page renders (503 while the store is down, 400 for a malformed address):
 * no script, and its one `<style>` carries the request's CSP nonce.
 *
 * @example htmlPage('bm9uY2U=', { title: 'Weft — …', testId: 'x', body: '<h1>…</h1>' })
 */
export function htmlPage(
  nonce: string,
  page: { title: string; testId: string; body: string; head?: string },
): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${page.head ?? ''}<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)}</title>
<style nonce="${escapeHtml(nonce)}">
body { font-family: system-ui, sans-serif; background: #f6f7f9; color: #1b2330; margin: 0; }
main { max-width: 40rem; margin: 15vh auto; padding: 1.5rem 2rem; background: #fff; border: 1px solid #dde2ea; border-radius: 8px; }
h1 { font-size: 1.3rem; }
p, li { line-height: 1.5; }
code { overflow-wrap: anywhere; }
.muted { color: #5b6676; }
</style>
</head>
<body>
<main role="alert" data-testid="${escapeHtml(page.testId)}">
${page.body}
</main>
</body>
</html>
`;
}

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
