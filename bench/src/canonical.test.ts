import { describe, expect, it } from 'vitest';
import { checksum, sessionLine, sha256, signature } from './canonical.js';

describe('canonical session form (bench/peers/flink/README.md)', () => {
  it('hashes UTF-8 bytes to lowercase hex', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('é')).toBe(sha256('\u00e9'));
    expect(sha256('é')).not.toBe(sha256('e\u0301'));
  });

  it('writes a signature as source:eventTimeMs:hash', () => {
    expect(signature('receipt', 1764000040000, 'ab')).toBe('receipt:1764000040000:ab');
  });

  it('prints a session line as JSON.stringify with distinct, default-sorted signatures', () => {
    expect(sessionLine('O"1', ['b:2:x', 'a:10:y', 'b:2:x', 'a:9:z'])).toBe(
      '{"businessKey":"O\\"1","records":["a:10:y","a:9:z","b:2:x"]}',
    );
  });

  it('sorts the lines by UTF-16 code units before hashing, without a trailing newline', () => {
    const lines = ['{"b"}', '{"a"}', '{"\u{1F600}"}', '{"\uFF5E"}'];
    const sorted = ['{"a"}', '{"b"}', '{"\u{1F600}"}', '{"\uFF5E"}'];
    expect(checksum(lines)).toBe(sha256(sorted.join('\n')));
    expect(checksum(lines)).not.toBe(sha256(`${sorted.join('\n')}\n`));
  });
});
