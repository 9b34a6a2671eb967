import type { DeadLetter } from '@weft/templates';
import type { RawInput } from './raw-input.js';

/** Limits every decoded input must respect. */
export interface DecodeLimits {
  /** Largest accepted input, in bytes. */
  maxBytes: number;
  /** Deepest accepted nesting of objects and arrays (the record itself is depth 1). */
  maxDepth: number;
}

/** Why an input was dead-lettered: a low-cardinality code, used as the metric label. */
export type DecodeFailureCode =
  | 'empty'
  | 'too_large'
  | 'invalid_utf8'
  | 'too_deep'
  | 'invalid_json'
  | 'not_an_object'
  | 'forbidden_key';

export type DecodeResult =
  | { ok: true; input: RawInput; text: string; record: Record<string, unknown> }
  | { ok: false; code: DecodeFailureCode; deadLetter: DeadLetter };

export interface DecodeContext {
  limits: DecodeLimits;
  /** The template the input was read for; null when it is not known yet. */
  templateId: string | null;
  /** Processing time of the dead letter; the correlator passes the wall clock. */
  now: () => number;
}

/** How much of an oversized input a dead letter keeps, so one bad line cannot bloat the store. */
const DEAD_LETTER_PREVIEW_BYTES = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes one raw input into a JSON object record, or into a dead letter that
 * keeps the reason, the raw input and its origin. Never throws for bad input;
 * parsing is bounded (size and depth are checked before `JSON.parse`) and
 * prototype-safe (`__proto__` keys are refused at any depth).
 *
 * @example
 * const result = decodeInput(input, { limits: { maxBytes: 1 << 20, maxDepth: 64 }, templateId: 'iap', now: Date.now });
 * if (!result.ok) deadLetters.push(result.deadLetter);
 */
export function decodeInput(input: RawInput, context: DecodeContext): DecodeResult {
  const { limits } = context;
  const fail = (code: DecodeFailureCode, detail: string, raw: string): DecodeResult => ({
    ok: false,
    code,
    deadLetter: {
      templateId: context.templateId,
      source: input.source,
      reason: `${code}: ${detail}`,
      raw,
      origin: input.origin,
      at: context.now(),
    },
  });

  const size = input.oversized?.totalBytes ?? input.bytes.length;
  if (size > limits.maxBytes) {
    const kept = Math.min(input.bytes.length, DEAD_LETTER_PREVIEW_BYTES);
    return fail(
      'too_large',
      `${size} bytes, over the ${limits.maxBytes}-byte cap (--max-record-bytes); raw keeps the first ${kept} bytes`,
      input.bytes.subarray(0, kept).toString('utf8'),
    );
  }
  if (size === 0) return fail('empty', 'the input has no bytes (a Kafka tombstone?)', '');

  let text: string;
  try {
    text = utf8.decode(input.bytes);
  } catch {
    return fail(
      'invalid_utf8',
      'the bytes are not valid UTF-8; raw holds them base64-encoded',
      input.bytes.toString('base64'),
    );
  }

  const depth = nestingDepth(text);
  if (depth > limits.maxDepth) {
    return fail(
      'too_deep',
      `nesting depth over the ${limits.maxDepth} cap (--max-json-depth)`,
      text,
    );
  }

  let forbidden = false;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, child: unknown) => {
      if (key === '__proto__') forbidden = true;
      return child;
    });
  } catch (error) {
    return fail('invalid_json', (error as Error).message, text);
  }
  if (forbidden) {
    return fail(
      'forbidden_key',
      'a "__proto__" key could pollute object prototypes downstream',
      text,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return fail('not_an_object', `a record must be a JSON object, got ${kind}`, text);
  }
  return { ok: true, input, text, record: value as Record<string, unknown> };
}

/** The maximum nesting of `{`/`[` outside strings: one linear pass, no recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c /* \ */) i += 1;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth += 1;
      if (depth > max) max = depth;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth -= 1;
    }
  }
  return max;
}
