import { describe, expect, it } from 'vitest';
import {
  encodeFieldValue,
  INDEXED_STRING_CHARS,
  kindOf,
  toWellFormed,
} from './session-converters.js';

describe('field value encoding', () => {
  it('replaces lone surrogates and keeps well-formed text as it is', () => {
    expect(toWellFormed('a\uD800b')).toBe('a\uFFFDb');
    expect(toWellFormed('ok 😀')).toBe('ok 😀');
  });

  it('counts the indexed prefix in code points, not UTF-16 units', () => {
    const astral = '😀'.repeat(INDEXED_STRING_CHARS); // 510 UTF-16 units, 255 code points
    expect(encodeFieldValue(astral)).toEqual({
      value_kind: 's',
      str_value: astral,
      num_value: null,
    });
    expect(kindOf(astral)).toBe('s');
    const long = `${astral}x`;
    expect(encodeFieldValue(long)).toEqual({ value_kind: 'l', str_value: astral, num_value: null });
    expect(kindOf(long)).toBe('l');
  });

  it('types every other value', () => {
    expect(kindOf(null)).toBe('z');
    expect(kindOf(true)).toBe('b');
    expect(kindOf(1.5)).toBe('n');
    expect(kindOf('x'.repeat(INDEXED_STRING_CHARS))).toBe('s');
    expect(kindOf('x'.repeat(INDEXED_STRING_CHARS + 1))).toBe('l');
  });
});
