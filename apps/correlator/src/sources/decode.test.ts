import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeInput } from './decode.js';
import type { DecodeResult } from './decode.js';
import type { RawInput } from './raw-input.js';

const context = { limits: { maxBytes: 1_000, maxDepth: 8 }, templateId: 'iap', now: () => 42 };
const origin = { file: 'pay_done.ndjson', line: 7 };

function decode(bytes: Buffer | string, extra: Partial<RawInput> = {}): DecodeResult {
  const input = { source: 'pay_done', bytes: Buffer.from(bytes), origin, ...extra };
  return decodeInput(input, context);
}

function failure(result: DecodeResult) {
  if (result.ok) throw new Error('expected a dead letter');
  return result;
}

describe('decodeInput', () => {
  it('decodes a JSON object record and keeps the input', () => {
    const result = decode('{"order_id":"O1","amount":"6.00","nested":{"a":[1,2]}}');
    expect(result).toMatchObject({
      ok: true,
      record: { order_id: 'O1', amount: '6.00', nested: { a: [1, 2] } },
      input: { source: 'pay_done', origin },
    });
  });

  it('dead-letters invalid JSON with the reason, raw text, origin, template and time', () => {
    const result = failure(decode('{"order_id": "O1",}'));
    expect(result.code).toBe('invalid_json');
    expect(result.deadLetter).toMatchObject({
      templateId: 'iap',
      source: 'pay_done',
      raw: '{"order_id": "O1",}',
      origin,
      at: 42,
    });
    expect(result.deadLetter.reason).toMatch(/^invalid_json: /);
  });

  it.each([
    ['a lone continuation byte', [0x7b, 0x80, 0x7d]],
    ['an overlong encoding of "/"', [0x22, 0xc0, 0xaf, 0x22]],
    ['a UTF-8-encoded surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['a truncated sequence', [0x22, 0xe6, 0x94, 0x22]],
    ['0xff', [0xff]],
  ])('dead-letters invalid UTF-8 (%s) keeping the exact bytes in base64', (_name, bytes) => {
    const raw = Buffer.from(bytes);
    const result = failure(decode(raw));
    expect(result.code).toBe('invalid_utf8');
    expect(Buffer.from(result.deadLetter.raw, 'base64').equals(raw)).toBe(true);
  });

  it('accepts a UTF-8 byte order mark and multi-byte text', () => {
    const result = decode(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"名":"支付"}')]),
    );
    expect(result).toMatchObject({ ok: true, text: '{"名":"支付"}', record: { 名: '支付' } });
  });

  it('dead-letters inputs over the size cap, keeping only a preview', () => {
    const result = failure(decode(`{"x":"${'a'.repeat(2_000)}"}`));
    expect(result.code).toBe('too_large');
    expect(result.deadLetter.reason).toContain('2008 bytes, over the 1000-byte cap');
    expect(result.deadLetter.raw).toHaveLength(2008);
  });

  it('dead-letters lines the reader already truncated as oversized', () => {
    const result = failure(decode('{"x":"aaaa', { oversized: { totalBytes: 5_000_000 } }));
    expect(result.code).toBe('too_large');
    expect(result.deadLetter.reason).toContain('5000000 bytes');
    expect(result.deadLetter.raw).toBe('{"x":"aaaa');
  });

  it('dead-letters deep nesting before parsing, without overflowing the stack', () => {
    const hostile = '['.repeat(200_000) + ']'.repeat(200_000);
    const result = failure(
      decodeInput(
        { source: 's', bytes: Buffer.from(hostile), origin },
        { ...context, limits: { maxBytes: 1_000_000, maxDepth: 8 } },
      ),
    );
    expect(result.code).toBe('too_deep');
  });

  it('counts depth exactly and ignores brackets inside strings and after escaped quotes', () => {
    const atCap = '{"a":'.repeat(7) + '{}' + '}'.repeat(7);
    expect(decode(atCap).ok).toBe(true);
    expect(failure(decode(`{"a":${atCap}}`)).code).toBe('too_deep');
    const bracketsInStrings = `{"s":"${'[{'.repeat(50)}","t":"\\"[[[[[[[[[[[["}`;
    expect(decode(bracketsInStrings).ok).toBe(true);
  });

  it.each([
    ['at the top level', '{"__proto__":{"polluted":true}}'],
    ['nested', '{"a":{"b":[{"__proto__":{"polluted":true}}]}}'],
    ['with an escaped key', '{"\\u005f_proto__":{"polluted":true}}'],
  ])('dead-letters a "__proto__" key %s and never pollutes prototypes', (_where, text) => {
    const result = failure(decode(text));
    expect(result.code).toBe('forbidden_key');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it.each([
    ['an array', '[{"order_id":"O1"}]'],
    ['a number', '42'],
    ['a string', '"O1"'],
    ['null', 'null'],
  ])('dead-letters a record that is %s', (kind, text) => {
    const result = failure(decode(text));
    expect(result.code).toBe('not_an_object');
    expect(result.deadLetter.reason).toContain(`got ${kind}`);
  });

  it('dead-letters an empty input (a Kafka tombstone)', () => {
    expect(failure(decode('')).code).toBe('empty');
  });

  it('round-trips any JSON object within the limits (property)', () => {
    const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
    const key = fc.string({ maxLength: 6 }).filter((k) => k !== '__proto__');
    // `__proto__` keys are refused at any depth (tested above), so the generated
    // records must not carry one nested either.
    const record = fc
      .dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 })
      .filter((value) => !JSON.stringify(value).includes('"__proto__":'));
    fc.assert(
      fc.property(record, (value) => {
        const text = JSON.stringify(value);
        const result = decodeInput(
          { source: 's', bytes: Buffer.from(text), origin },
          { ...context, limits: { maxBytes: 1_000_000, maxDepth: 8 } },
        );
        expect(result.ok && JSON.stringify(result.record)).toBe(text);
      }),
      { numRuns: runs },
    );
  });
});
