/**
 * The HTTP security policy of every response, applied by `src/proxy.ts`:
 * a per-request nonce CSP for pages (Next.js reads the nonce from the
 * request's CSP header and puts it on its own scripts), a deny-all CSP for
 * API responses, the usual hardening headers, and the CSRF rule for
 * mutations. Pure, so it is tested without a server.
 */

/** Headers every response carries. HSTS is ignored by browsers over plain HTTP. */
export const HARDENING_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

/** API answers are JSON or CSV: nothing in them may load or run anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The pages' CSP. Scripts and `<style>` elements need the request's nonce
 * (`'strict-dynamic'` lets Next's nonce'd loader add its chunks); React's
 * `style` attributes are allowed by `style-src-attr` (they cannot run code).
 * Development adds `'unsafe-eval'`, which React's dev tooling needs.
 *
 * @example contentSecurityPolicy('abc', { development: false, https: true })
 */
export function contentSecurityPolicy(
  nonce: string,
  options: { development: boolean; https: boolean },
): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** A fresh, unguessable nonce (128 bits, base64). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True when a state-changing request comes from another site: the browser
 * says so (`Sec-Fetch-Site`), or its `Origin` is not this host. Requests
 * without either header are not from a browser (scripts, the CLI) and carry
 * no ambient cookies an attacker could borrow, so they pass.
 *
 * @example isCrossSiteMutation('POST', new Headers({ origin: 'https://evil.test', host: 'weft.test' })) // true
 */
export function isCrossSiteMutation(method: string, headers: Headers): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const site = headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = headers.get('origin');
  if (origin === null) return false;
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  try {
    return host === null || new URL(origin).host !== host;
  } catch {
    return true; // `Origin: null` (sandboxed frames, file:) or garbage
  }
}
