import { describe, expect, it } from 'vitest';
import { classify } from '../e2e/access-matrix';

describe('classify (the authorization matrix reads responses)', () => {
  it('tells a redirect to the login page from any other redirect', () => {
    expect(classify(307, '/login')).toBe('login');
    expect(classify(307, 'http://127.0.0.1:3000/login?next=x')).toBe('login');
    expect(classify(307, '/search')).toBe('ok');
  });

  it('names refusals and lets harmless bad input count as through', () => {
    expect(classify(401, null)).toBe('unauthenticated');
    expect(classify(403, null)).toBe('forbidden');
    expect(classify(200, null)).toBe('ok');
    expect(classify(400, null)).toBe('ok');
    expect(classify(500, null)).toBe('HTTP 500');
    expect(classify(429, null)).toBe('HTTP 429');
  });
});
