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
  return hex8(h1) + hex8(h2);
}

/** Two lowercase hex digits per byte value. */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return (
    HEX_BYTE[(n >>> 24) & 0xff]! +
    HEX_BYTE[(n >>> 16) & 0xff]! +
    HEX_BYTE[(n >>> 8) & 0xff]! +
    HEX_BYTE[n & 0xff]!
  );
}
