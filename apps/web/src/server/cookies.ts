import type { BetterAuthOptions } from 'better-auth';

/**
 * The session cookie's attributes: never readable by scripts (HttpOnly), not
 * sent on cross-site subrequests (SameSite=Lax), and Secure (with the
 * `__Secure-` prefix) whenever the app is served over HTTPS.
 *
 * @example sessionCookies('https://weft.example').useSecureCookies // true
 */
export function sessionCookies(baseUrl: string): NonNullable<BetterAuthOptions['advanced']> {
  return {
    useSecureCookies: new URL(baseUrl).protocol === 'https:',
    defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', path: '/' },
  };
}
