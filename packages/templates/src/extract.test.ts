import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertValue, decodeTime } from './convert.js';
import { compileExtractor } from './extract.js';
import { loadTemplate } from './validate.js';
import type { EventSource } from './template.js';

const iap = loadTemplate(
  JSON.parse(readFileSync(new URL('../examples/in-app-purchase.json', import.meta.url), 'utf8')),
);
const bank = loadTemplate(
  JSON.parse(readFileSync(new URL('../examples/bank-transfer.json', import.meta.url), 'utf8')),
);
const source = (t: typeof iap, id: string): EventSource =>
  t.sources.find((s) => s.id === id) as EventSource;

describe('compileExtractor on the raw shapes of docs/scenarios.md', () => {
  it('client_order: epoch ms, nested paths', () => {
    const out = compileExtractor(source(iap, 'client_order')).extract({
      ts: 1764000000123,
      event: 'order_create',
      order_id: 'O1',
      role_id: 'R1',
      account: { id: 'A1', device_id: 'D1' },
      item_id: 'I1',
      amount_cents: 600,
      currency: 'CNY',
      channel: 'alipay',
      region: 'cn-east',
      client: { os: 'android', ver: '3.2.1' },
    });
    expect(out).toMatchObject({
      ok: true,
      eventTime: 1764000000123,
      fields: { order_id: 'O1', device_id: 'D1', amount_cents: 600, client_os: 'android' },
    });
  });

  it('pay_page: ISO 8601 time, camelCase id', () => {
    const out = compileExtractor(source(iap, 'pay_page')).extract({
      time: '2026-11-24T03:00:00.123Z',
      orderId: 'O1',
      page: 'pay',
      channel: 'alipay',
      ip: '10.1.2.3',
    });
    expect(out).toMatchObject({
      ok: true,
      eventTime: Date.UTC(2026, 10, 24, 3, 0, 0, 123),
      fields: { order_id: 'O1' },
    });
  });

  it('receipt: epoch seconds', () => {
    const out = compileExtractor(source(iap, 'receipt')).extract({
      t: 1764000012,
      order: 'O1',
      receipt: { id: 'RC1', verify: 'failed' },
    });
    expect(out).toMatchObject({
      ok: true,
      eventTime: 1764000012000,
      fields: { receipt_verify: 'failed' },
    });
  });

  it('pay_done: numeric strings become numbers', () => {
    const out = compileExtractor(source(iap, 'pay_done')).extract({
      event_time_ms: 1764000030000,
      order_id: 'O1',
      trans_id: 'T1',
      status: 'SUCCESS',
      amount: '6.00',
    });
    expect(out).toMatchObject({ ok: true, fields: { paid_amount: 6, pay_status: 'SUCCESS' } });
  });

  it('aml_screening: CEL field expressions over raw', () => {
    const out = compileExtractor(source(bank, 'aml_screening')).extract({
      ts: 1,
      ref: 'TR1',
      score: 37,
      hits: ['pep', 'sanctions'],
      decision: 'pass',
    });
    expect(out).toMatchObject({
      ok: true,
      fields: { aml_hits: 'pep,sanctions', aml_hit_count: 2, aml_score: 37 },
    });
  });

  it('dead-letters records without time, with a bad time or a missing required field', () => {
    const ex = compileExtractor(source(iap, 'pay_done'));
    expect(ex.extract({ order_id: 'O1' })).toEqual({
      ok: false,
      reason: 'missing event time "event_time_ms"',
    });
    expect(ex.extract({ event_time_ms: { x: 1 }, order_id: 'O1' })).toEqual({
      ok: false,
      reason: 'event time "event_time_ms": an object is not an epoch_ms time',
    });
    expect(ex.extract({ event_time_ms: 1 })).toEqual({
      ok: false,
      reason: 'required field "order_id" (path "order_id") is missing',
    });
    expect(ex.extract([1, 2])).toMatchObject({
      ok: false,
      reason: 'record of pay_done is not a JSON object',
    });
  });

  it('an optional field of the wrong type is null, not a dead letter', () => {
    const out = compileExtractor(source(iap, 'pay_done')).extract({
      event_time_ms: 1,
      order_id: 'O1',
      amount: 'six',
    });
    expect(out).toMatchObject({ ok: true, fields: { paid_amount: null } });
  });
});

describe('convertValue and decodeTime', () => {
  it('converts by declared type', () => {
    expect(convertValue('9500.00', 'number')).toEqual({ ok: true, value: 9500 });
    expect(convertValue(42, 'string')).toEqual({ ok: true, value: '42' });
    expect(convertValue('true', 'boolean')).toEqual({ ok: true, value: true });
    expect(convertValue(null, 'number')).toEqual({ ok: true, value: null });
    expect(convertValue('1e3', 'number')).toEqual({ ok: true, value: 1000 });
    expect(convertValue('', 'number')).toMatchObject({ ok: false });
  });

  it('decodes every time encoding', () => {
    expect(decodeTime('1764000012', 'epoch_s')).toEqual({ ok: true, value: 1764000012000 });
    expect(decodeTime(1.5, 'epoch_s')).toEqual({ ok: true, value: 1500 });
    expect(decodeTime('2026-11-24T03:00:00+01:00', 'iso8601')).toEqual({
      ok: true,
      value: Date.UTC(2026, 10, 24, 2),
    });
    expect(decodeTime('yesterday', 'iso8601')).toEqual({
      ok: false,
      reason: '"yesterday" is not an ISO 8601 time',
    });
    expect(decodeTime('2026-11-24T03:00:00Z')).toEqual({
      ok: true,
      value: Date.UTC(2026, 10, 24, 3),
    });
  });

  it('rejects times outside 1970 … 9999, whatever the encoding', () => {
    for (const [value, encoding] of [
      [-1, 'epoch_ms'],
      [-8_640_000_000_000_001, 'epoch_ms'],
      [9_007_199_254_740_000, 'epoch_ms'],
      [253_402_300_800, 'epoch_s'],
      ['1969-12-31T23:59:59Z', 'iso8601'],
    ] as const) {
      const result = decodeTime(value, encoding);
      expect(result.ok, String(value)).toBe(false);
      if (!result.ok) expect(result.reason).toContain('outside the supported time range');
    }
    expect(decodeTime(0, 'epoch_ms')).toEqual({ ok: true, value: 0 });
    expect(decodeTime('9999-12-31T23:59:59.999Z', 'iso8601')).toEqual({
      ok: true,
      value: 253_402_300_799_999,
    });
  });
});
