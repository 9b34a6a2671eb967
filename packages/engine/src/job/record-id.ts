/**
 * A stable record id: a 64-bit hash (two independent 32-bit lanes, after
 * cyrb53) of the source id and the raw line exactly as received, so that a
 * duplicated log line gets the same id and deduplicates. Not cryptographic:
 * ids name records, they do not authenticate them.
 *
 * Example: `recordId('pay_done', '{"order_id":"O1"}')` is 16 hex digits, the same on every call.
 */
export function recordId(source: string, raw: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ 10, 2654435761);
  h2 = Math.imul(h2 ^ 10, 1597334677);
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex16(h1, h2);
}

const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * The 16 lowercase hex digits of two 32-bit lanes, as one flat string: ids
 * live as long as their records, and a concatenation of two 8-digit halves
 * would keep three string objects per id instead of one.
 */
function hex16(a: number, b: number): string {
  return String.fromCharCode(
    HEX[(a >>> 28) & 15]!,
    HEX[(a >>> 24) & 15]!,
    HEX[(a >>> 20) & 15]!,
    HEX[(a >>> 16) & 15]!,
    HEX[(a >>> 12) & 15]!,
    HEX[(a >>> 8) & 15]!,
    HEX[(a >>> 4) & 15]!,
    HEX[a & 15]!,
    HEX[(b >>> 28) & 15]!,
    HEX[(b >>> 24) & 15]!,
    HEX[(b >>> 20) & 15]!,
    HEX[(b >>> 16) & 15]!,
    HEX[(b >>> 12) & 15]!,
    HEX[(b >>> 8) & 15]!,
    HEX[(b >>> 4) & 15]!,
    HEX[b & 15]!,
  );
}
