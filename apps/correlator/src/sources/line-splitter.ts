const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** One line of an NDJSON stream, without its line terminator. */
export interface Line {
  /** 1-based line number in the stream. */
  number: number;
  bytes: Buffer;
  /** Set when the line exceeded `maxLineBytes`: `bytes` holds its first `maxLineBytes` bytes. */
  oversized?: { totalBytes: number };
}

/**
 * Splits a byte stream into lines (`\n` or `\r\n`), holding at most
 * `maxLineBytes` of any line in memory, so a hostile multi-gigabyte line cannot
 * exhaust memory: it comes out truncated and marked `oversized`. Blank lines
 * are skipped but counted, so line numbers match what an editor shows.
 *
 * @example
 * for await (const line of splitLines(createReadStream('pay_done.ndjson'), 1 << 20)) { ... }
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let kept = 0;
  let total = 0;
  let number = 0;

  function take(piece: Buffer): void {
    total += piece.length;
    // Keep one byte beyond the cap: a trailing '\r' may still be cut off.
    const room = maxLineBytes + 1 - kept;
    if (room <= 0) return;
    const piece_ = piece.length <= room ? piece : piece.subarray(0, room);
    parts.push(piece_);
    kept += piece_.length;
  }

  function finish(): Line | null {
    number += 1;
    let bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, kept);
    let length = total;
    const whole = kept === total;
    parts = [];
    kept = 0;
    total = 0;
    if (whole && bytes.at(-1) === CARRIAGE_RETURN) {
      bytes = bytes.subarray(0, bytes.length - 1);
      length -= 1;
    }
    if (length <= maxLineBytes) return isBlank(bytes) ? null : { number, bytes };
    return { number, bytes: bytes.subarray(0, maxLineBytes), oversized: { totalBytes: length } };
  }

  for await (const chunk of chunks) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    let end = buffer.indexOf(NEWLINE, start);
    while (end !== -1) {
      take(buffer.subarray(start, end));
      const line = finish();
      if (line) yield line;
      start = end + 1;
      end = buffer.indexOf(NEWLINE, start);
    }
    if (start < buffer.length) take(buffer.subarray(start));
  }
  if (total > 0) {
    const line = finish();
    if (line) yield line;
  }
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== CARRIAGE_RETURN) return false;
  }
  return true;
}
