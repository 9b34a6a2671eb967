import { describe, expect, it } from 'vitest';
import { storeUnreachableResponse } from './outage-page';

describe('storeUnreachableResponse', () => {
  it('answers 503 with Retry-After, never cached, and says the store is unreachable', async () => {
    const response = storeUnreachableResponse('bm9uY2U=');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('The session store is unreachable — retrying');
    // Reloads itself (no script: the CSP allows only nonce'd ones) until the store answers.
    expect(html).toMatch(/<meta http-equiv="refresh" content="5">/);
    expect(html).not.toMatch(/<script/);
    expect(html).toContain('<style nonce="bm9uY2U=">');
  });
});
