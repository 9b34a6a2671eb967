import type { FieldValue } from './session.js';
import type { FieldType, TimeEncoding } from './template.js';

/** A converted value, or why the raw value does not fit the declared type. */
export type Conversion = { ok: true; value: FieldValue } | { ok: false; reason: string };

const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value) ?? String(value);
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value);
  return null;
}

/** Times every backend's time types hold: 1970-01-01T00:00:00Z … 9999-12-31T23:59:59.999Z. */
const MIN_TIME_MS = 0;
const MAX_TIME_MS = 253_402_300_799_999;

/**
 * Decodes an event time or timestamp field to integer epoch milliseconds.
 * Without an encoding, numbers are epoch ms and strings ISO 8601.
 *
 * @example decodeTime(1764000012, 'epoch_s') // { ok: true, value: 1764000012000 }
 */
export function decodeTime(value: unknown, encoding?: TimeEncoding): Conversion {
  const effective =
    encoding ?? (typeof value === 'string' && !NUMERIC.test(value) ? 'iso8601' : 'epoch_ms');
  let ms: number;
  if (effective === 'iso8601') {
    if (typeof value !== 'string' || !ISO_DATE.test(value.trim()))
      return { ok: false, reason: `${describe(value)} is not an ISO 8601 time` };
    ms = Date.parse(value.trim());
  } else {
    const n = toNumber(value);
    if (n === null) return { ok: false, reason: `${describe(value)} is not an ${effective} time` };
    ms = Math.round(effective === 'epoch_s' ? n * 1000 : n);
  }
  if (!Number.isSafeInteger(ms))
    return { ok: false, reason: `${describe(value)} is not a valid time` };
  if (ms < MIN_TIME_MS || ms > MAX_TIME_MS)
    return {
      ok: false,
      reason: `${describe(value)} is outside the supported time range 1970-01-01T00:00:00Z … 9999-12-31T23:59:59.999Z (check the field's encoding: epoch_ms, epoch_s or iso8601)`,
    };
  return { ok: true, value: ms };
}

/**
 * Converts a raw JSON value to a template field type. `null`/missing stays
 * null; `number` accepts numeric strings (`"6.00"` → 6); `string` accepts
 * numbers and booleans (ids logged as numbers); `boolean` accepts
 * `"true"`/`"false"`; `timestamp` decodes with `encoding`.
 *
 * @example convertValue('6.00', 'number') // { ok: true, value: 6 }
 */
export function convertValue(value: unknown, type: FieldType, encoding?: TimeEncoding): Conversion {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (type) {
    case 'string':
      if (typeof value === 'string') return { ok: true, value };
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
        return { ok: true, value: String(value) };
      return { ok: false, reason: `expected a string, got ${describe(value)}` };
    case 'number': {
      const n = toNumber(value);
      return n === null
        ? { ok: false, reason: `expected a number, got ${describe(value)}` }
        : { ok: true, value: n };
    }
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
      return { ok: false, reason: `expected a boolean, got ${describe(value)}` };
    case 'timestamp':
      return decodeTime(value, encoding);
  }
}
