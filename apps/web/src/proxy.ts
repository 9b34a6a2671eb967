import { NextResponse } from 'next/server';
import type { NextRequest } from 'next/server';
import { config as webConfig } from '@/server/env';
import { storeUnreachableResponse } from '@/server/outage-page';
import { createStoreProbe } from '@/server/store-probe';
import type { StoreProbe } from '@/server/store-probe';
import {
  API_CSP,
  contentSecurityPolicy,
  HARDENING_HEADERS,
  isCrossSiteMutation,
  newNonce,
} from '@/server/security';

let storeProbe: StoreProbe | null = null;

/**
 * Runs before every page and API request (Next's Proxy): refuses cross-site
 * mutations (CSRF), and sets the security headers; pages get a CSP with a
 * fresh nonce, passed on in the request so Next.js stamps it on its scripts.
 * Page reads first ask whether the session store answers: while it does not,
 * they get the 503 "unreachable — retrying" page instead of a render that
 * would fail after its 200 status is sent (API routes answer their own 503).
 */
export async function proxy(request: NextRequest): Promise<Response> {
  if (isCrossSiteMutation(request.method, request.headers)) {
    return withHardening(
      NextResponse.json(
        { error: 'Cross-site request refused: send it from the Weft app itself.' },
        { status: 403 },
      ),
      API_CSP,
    );
  }
  if (request.nextUrl.pathname.startsWith('/api/'))
    return withHardening(NextResponse.next(), API_CSP);
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, {
    development: process.env.NODE_ENV === 'development',
    https:
      request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https',
  });
  if (request.method === 'GET' || request.method === 'HEAD') {
    storeProbe ??= createStoreProbe(webConfig().dbUrl);
    const store = await storeProbe.check();
    if (!store.reachable) {
      console.error(
        `[weft-web] ${request.nextUrl.pathname}: the session store is unreachable (${store.code})`,
      );
      return withHardening(storeUnreachableResponse(nonce), csp);
    }
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', csp);
  return withHardening(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

function withHardening<R extends Response>(response: R, csp: string): R {
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(HARDENING_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
