import { describe, expect, it } from 'vitest';
import { reasonCode } from './observe.js';

describe('reasonCode', () => {
  it.each([
    ['invalid_json: Unexpected token', 'invalid_json'],
    ['too_deep: nesting depth over the 64 cap', 'too_deep'],
    ['Missing order id', 'other'],
    [`${'a'.repeat(60)}: too long to be a code`, 'other'],
    ['Invalid_Json: upper case is not a code', 'other'],
    ['missing event time "log_time"', 'missing_event_time'],
    ['event time "ts": an object is not an epoch_ms time', 'invalid_event_time'],
    ['not valid JSON: Unexpected end of JSON input', 'invalid_json'],
    ['missing business key "order_id" for baseline node pay_done', 'missing_business_key'],
    ['missing join key "trans_id" for supplement channel_callback', 'missing_join_key'],
    ['unknown source "x" for template iap', 'unknown_source'],
    ['cannot extract: boom', 'extraction_failed'],
  ])('maps %j to the metric label %j', (reason, code) => {
    expect(reasonCode(reason)).toBe(code);
  });
});
