import { InvalidOptionError } from './errors.js';
import type { SourceSpec } from './model.js';
import { scenarioById } from './options.js';
import { Rng } from './prng.js';

/**
 * Adversarial record lines for robustness tests (issue: hostile input): each
 * is one line a source might really receive from a buggy or malicious
 * producer, and none of them is a usable record — every one lacks a valid
 * event time or is not a JSON object — so a correct pipeline dead-letters
 * every one, with a reason, and nothing else changes.
 */
export type HostileCategory =
  | 'invalid-json'
  | 'invalid-utf8'
  | 'not-an-object'
  | 'missing-time'
  | 'absurd-time'
  | 'number-as-string'
  | 'huge-string'
  | 'huge-array'
  | 'deep-nesting'
  | 'prototype-keys'
  | 'internal-names'
  | 'control-characters';

export const HOSTILE_CATEGORIES: readonly HostileCategory[] = [
  'invalid-json',
  'invalid-utf8',
  'not-an-object',
  'missing-time',
  'absurd-time',
  'number-as-string',
  'huge-string',
  'huge-array',
  'deep-nesting',
  'prototype-keys',
  'internal-names',
  'control-characters',
];

export interface HostileRecord {
  readonly source: string;
  readonly category: HostileCategory;
  /** The line's bytes, without the newline; may not be valid UTF-8. */
  readonly bytes: Buffer;
}

export interface HostileOptions {
  readonly scenario: string;
  readonly count: number;
  readonly seed: number;
  /** Size of the huge-string and huge-array payloads, in characters or elements. Default 100 000. */
  readonly hugeSize?: number;
}

/**
 * `count` hostile lines spread over the scenario's sources, the categories
 * in rotation (so every category appears once `count` ≥ 12), deterministic
 * for a seed.
 *
 * @example for (const r of hostileRecords({ scenario: 'in-app-purchase', count: 1000, seed: 1 })) …
 */
export function* hostileRecords(options: HostileOptions): Generator<HostileRecord> {
  if (!Number.isInteger(options.count) || options.count < 0) {
    throw new InvalidOptionError(`count must be a whole number ≥ 0, got ${String(options.count)}.`);
  }
  const sources = scenarioById(options.scenario).sources;
  const rng = Rng.derive(options.seed, 'hostile');
  const huge = options.hugeSize ?? 100_000;
  for (let i = 0; i < options.count; i++) {
    const category = HOSTILE_CATEGORIES[i % HOSTILE_CATEGORIES.length]!;
    const source = sources[rng.int(0, sources.length)]!;
    yield { source: source.id, category, bytes: line(category, source, rng, huge) };
  }
}

/** A plausible body of the source: a business-looking id and amount, and no event time. */
function body(rng: Rng): Record<string, unknown> {
  const n = rng.int(0, 1_000_000);
  return {
    order_id: `H${String(n)}`,
    trans_id: `HT${String(n)}`,
    amount_cents: rng.int(1, 99_999),
  };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

function withTime(source: SourceSpec, rng: Rng, time: unknown): Buffer {
  return json({ ...body(rng), [source.timeField]: time });
}

function line(category: HostileCategory, source: SourceSpec, rng: Rng, huge: number): Buffer {
  switch (category) {
    case 'invalid-json':
      return Buffer.from(
        pick(rng, [
          `{"${source.timeField}": 1764000000000, "order_id": "H1"`,
          `{'${source.timeField}': 1764000000000}`,
          `{"${source.timeField}": NaN}`,
          `{"a": 1,}`,
          `undefined`,
          `{"a": "unterminated}`,
          `{"a": 01}`,
        ]),
        'utf8',
      );
    case 'invalid-utf8':
      return Buffer.concat([
        Buffer.from(`{"${source.timeField}": 1764000000000, "order_id": "`),
        Buffer.from(
          pick(rng, [
            [0xc3, 0x28],
            [0xff, 0xfe],
            [0xed, 0xa0, 0x80],
            [0xe2, 0x82],
          ]),
        ),
        Buffer.from('"}'),
      ]);
    case 'not-an-object':
      return Buffer.from(pick(rng, ['[]', '42', '"order"', 'null', 'true', '[{"a":1}]']), 'utf8');
    case 'missing-time':
      return json(body(rng));
    case 'absurd-time':
      return withTime(
        source,
        rng,
        pick(rng, [1e20, -8.64e15 - 1, 2 ** 53 + 2, 'yesterday', '', {}, [], true, null]),
      );
    case 'number-as-string':
      return withTime(source, rng, pick(rng, ['1764000000000abc', '0x1A', '1e400', ' ', '١٧٦٤']));
    case 'huge-string':
      return withTime(source, rng, 'x'.repeat(huge));
    case 'huge-array':
      return json({
        ...body(rng),
        [source.timeField]: null,
        items: Array.from({ length: huge }, (_, i) => i),
      });
    case 'deep-nesting':
      return Buffer.from(
        `{"${source.timeField}":${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}}`,
        'utf8',
      );
    case 'prototype-keys':
      return Buffer.from(
        `{"__proto__":{"polluted":true,"${source.timeField}":1764000000000},"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true},"order_id":{"__proto__":{"polluted":true}}}`,
        'utf8',
      );
    case 'internal-names':
      return json({
        ...body(rng),
        _sim: { session: 'iap-0000001', record: 'forged' },
        $verdict: 'ok',
        recordId: 'forged',
        hasOwnProperty: 'x',
        toString: 'x',
        [source.timeField]: 'never',
      });
    case 'control-characters':
      return Buffer.from(
        `\ufeff{"${source.timeField}":"\u0000\u0001","order_id":"H\u0000\u2028\u2029","x":"\t"}`,
        'utf8',
      );
  }
}

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[rng.int(0, values.length)]!;
}
