import { describe, expect, it } from 'vitest';
import { badAddressResponse } from './bad-address-page';

const help = { text: 'Start over.', href: '/search', label: 'Open Order search' };

describe('badAddressResponse', () => {
  it('answers 400 with an HTML page naming each parameter, its reason and where to go', async () => {
    const response = badAddressResponse('bm9uY2U=', {
      what: 'dashboard link',
      issues: [{ field: 'range', reason: 'one of 1h, 24h' }],
      help,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('This dashboard link is malformed (400)');
    expect(html).toContain('<li><code>range</code>: one of 1h, 24h</li>');
    expect(html).toContain('<a href="/search">Open Order search</a>');
    expect(html).toContain('<style nonce="bm9uY2U=">');
    expect(html).not.toMatch(/<script/);
  });

  it('shows what came from the address as text, never as markup', async () => {
    const html = await badAddressResponse('n', {
      what: 'address',
      issues: [{ field: 'path segment 2', reason: '"<img src=x onerror=alert(1)>%ZZ" is bad' }],
      help,
    }).text();
    expect(html).not.toContain('<img');
    expect(html).toContain('&quot;&lt;img src=x onerror=alert(1)&gt;%ZZ&quot; is bad');
  });
});
