import { describe, expect, it } from 'vitest';
import { sessionCookies } from './cookies';

describe('sessionCookies', () => {
  it('keeps the cookie from scripts and cross-site subrequests', () => {
    expect(sessionCookies('http://localhost:3000').defaultCookieAttributes).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
    });
  });

  it('is Secure exactly when the app is served over HTTPS', () => {
    expect(sessionCookies('https://weft.example').useSecureCookies).toBe(true);
    expect(sessionCookies('http://127.0.0.1:3000').useSecureCookies).toBe(false);
  });
});
