import { NextResponse } from 'next/server';
import type { NextRequest } from 'next/server';
import {
  API_CSP,
  contentSecurityPolicy,
  HARDENING_HEADERS,
  isCrossSiteMutation,
  newNonce,
} from '@/server/security';

/**
 * Runs before every page and API request (Next's Proxy): refuses cross-site
 * mutations (CSRF), and sets the security headers; pages get a CSP with a
 * fresh nonce, passed on in the request so Next.js stamps it on its scripts.
 */
export function proxy(request: NextRequest): NextResponse {
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
  const csp = contentSecurityPolicy(newNonce(), {
    development: process.env.NODE_ENV === 'development',
    https:
      request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', csp);
  return withHardening(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

function withHardening(response: NextResponse, csp: string): NextResponse {
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(HARDENING_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
