import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJsonBody, parseSearchParams } from './http';

const Schema = z.object({
  q: z.string().min(1, 'type something to search for'),
  limit: z.coerce.number().int().max(100),
});

function json(body: string, type = 'application/json'): Request {
  return new Request('http://x', { method: 'POST', body, headers: { 'content-type': type } });
}

describe('http input parsing', () => {
  it('accepts only JSON bodies (415 otherwise: no form posts from other sites)', async () => {
    const form = await parseJsonBody(json('q=x', 'application/x-www-form-urlencoded'), Schema);
    expect(form.ok).toBe(false);
    if (!form.ok) expect(form.response.status).toBe(415);
    const plain = await parseJsonBody(json('{"q":"x","limit":1}', 'text/plain'), Schema);
    expect(plain.ok).toBe(false);
    const typed = await parseJsonBody(
      json('{"q":"x","limit":1}', 'application/json; charset=utf-8'),
      Schema,
    );
    expect(typed).toEqual({ ok: true, value: { q: 'x', limit: 1 } });
  });

  it('names the field and the reason on bad input', async () => {
    const parsed = parseSearchParams('http://x/api?q=&limit=500', Schema);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.response.status).toBe(400);
    const body = await parsed.response.json();
    expect(body.issues).toEqual(
      expect.arrayContaining([
        { field: 'q', reason: 'type something to search for' },
        expect.objectContaining({ field: 'limit' }),
      ]),
    );
  });

  it('rejects invalid JSON with a 400 rather than throwing', async () => {
    const request = json('{nope');
    const parsed = await parseJsonBody(request, Schema);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect((await parsed.response.json()).issues[0].field).toBe('(body)');
  });

  it('refuses a body over the byte limit with a 413, even without a content-length', async () => {
    const body = JSON.stringify({ q: 'x'.repeat(200), limit: 1 });
    const request = json(body);
    const parsed = await parseJsonBody(request, Schema, 100);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.response.status).toBe(413);
    const fits = await parseJsonBody(json(body), Schema, 1_000);
    expect(fits).toEqual({ ok: true, value: { q: 'x'.repeat(200), limit: 1 } });
  });

  it('refuses a repeated parameter with a 400 naming it, instead of picking one', async () => {
    const parsed = parseSearchParams('http://x/api?q=O1&q=O2&limit=20', Schema);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.response.status).toBe(400);
    expect((await parsed.response.json()).issues).toEqual([
      { field: 'q', reason: 'given 2 times ("O1", "O2"): give it once' },
    ]);
  });

  it('returns the typed value on good input', () => {
    const parsed = parseSearchParams('http://x/api?q=O123&limit=20', Schema);
    expect(parsed).toEqual({ ok: true, value: { q: 'O123', limit: 20 } });
  });
});
