import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isCrossSiteMutation, newNonce } from './security';

describe('contentSecurityPolicy', () => {
  const csp = contentSecurityPolicy('N0nce', { development: false, https: false });
  const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));

  it('lets only nonce-carrying scripts run, and never eval in production', () => {
    expect(directive('script-src')).toBe("script-src 'self' 'nonce-N0nce' 'strict-dynamic'");
    expect(csp).not.toContain('unsafe-eval');
    expect(directive('script-src')).not.toContain('unsafe-inline');
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
  });

  it('adds eval only in development and upgrades requests only behind HTTPS', () => {
    expect(contentSecurityPolicy('n', { development: true, https: false })).toContain(
      "'unsafe-eval'",
    );
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(contentSecurityPolicy('n', { development: false, https: true })).toContain(
      'upgrade-insecure-requests',
    );
  });

  it('makes a new nonce every time', () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    expect([...nonces][0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe('isCrossSiteMutation', () => {
  const headers = (h: Record<string, string>) => new Headers({ host: 'weft.test:3000', ...h });

  it('refuses mutations another site starts', () => {
    expect(isCrossSiteMutation('POST', headers({ origin: 'https://evil.test' }))).toBe(true);
    expect(isCrossSiteMutation('POST', headers({ 'sec-fetch-site': 'cross-site' }))).toBe(true);
    expect(isCrossSiteMutation('POST', headers({ 'sec-fetch-site': 'same-site' }))).toBe(true);
    expect(isCrossSiteMutation('DELETE', headers({ origin: 'null' }))).toBe(true);
    expect(isCrossSiteMutation('post', headers({ origin: 'http://weft.test:3001' }))).toBe(true);
  });

  it('lets same-origin mutations, reads and non-browser clients through', () => {
    expect(
      isCrossSiteMutation(
        'POST',
        headers({ origin: 'http://weft.test:3000', 'sec-fetch-site': 'same-origin' }),
      ),
    ).toBe(false);
    expect(isCrossSiteMutation('GET', headers({ origin: 'https://evil.test' }))).toBe(false);
    expect(isCrossSiteMutation('POST', headers({}))).toBe(false);
    expect(
      isCrossSiteMutation(
        'POST',
        headers({ origin: 'https://weft.example', 'x-forwarded-host': 'weft.example' }),
      ),
    ).toBe(false);
  });
});
