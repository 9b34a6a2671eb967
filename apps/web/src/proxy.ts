import { NextResponse } from 'next/server';
import type { NextRequest } from 'next/server';
import { can } from '@/features/admin';
import { badAddressResponse } from '@/server/bad-address-page';
import { config as webConfig } from '@/server/env';
import { viewerOf } from '@/server/guard';
import { badRequest } from '@/server/http';
import { storeUnreachableResponse } from '@/server/outage-page';
import { checkPageAddress, UNDECODABLE_PATH_HELP, undecodableSegment } from '@/server/page-address';
import type { MalformedAddress } from '@/server/page-address';
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
 * A malformed address answers 400 here too, for the same reason: a path
 * segment that is not valid percent-encoding (Next would answer 500) to
 * everyone, as JSON under /api/; a page link whose query the page's own
 * parser refuses to those who may open that page (others go on to the
 * page's sign-in redirect or 403).
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
  const { pathname } = request.nextUrl;
  const isApi = pathname.startsWith('/api/');
  const undecodable = undecodableSegment(pathname);
  if (isApi)
    return withHardening(undecodable ? badRequest([undecodable]) : NextResponse.next(), API_CSP);
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, {
    development: process.env.NODE_ENV === 'development',
    https:
      request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https',
  });
  if (undecodable) {
    const address = { what: 'address', issues: [undecodable], help: UNDECODABLE_PATH_HELP };
    return withHardening(badAddressResponse(nonce, address), csp);
  }
  if (request.method === 'GET' || request.method === 'HEAD') {
    storeProbe ??= createStoreProbe(webConfig().dbUrl);
    const store = await storeProbe.check();
    if (!store.reachable) {
      console.error(
        `[weft-web] ${request.nextUrl.pathname}: the session store is unreachable (${store.code})`,
      );
      return withHardening(storeUnreachableResponse(nonce), csp);
    }
    const malformed = checkPageAddress(pathname, request.nextUrl.searchParams);
    if (malformed && (await mayOpen(request.headers, malformed)))
      return withHardening(badAddressResponse(nonce, malformed), csp);
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', csp);
  return withHardening(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

/**
 * Whether the viewer may open the page of a malformed link: only they learn
 * that it is malformed; the signed-out are sent to sign in and other roles
 * get the 403 page, as for a well-formed link. When the sign-in cannot be
 * checked, the page decides (and shows its own "malformed" message).
 */
async function mayOpen(requestHeaders: Headers, page: MalformedAddress): Promise<boolean> {
  try {
    const viewer = await viewerOf(requestHeaders, { refresh: false });
    return viewer !== null && can(viewer.role, page.permission);
  } catch (error) {
    console.error('[weft-web] checking the sign-in of a malformed link failed:', error);
    return false;
  }
}

function withHardening<R extends Response>(response: R, csp: string): R {
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(HARDENING_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
