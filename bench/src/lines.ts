import { createReadStream } from 'node:fs';

/**
 * Raw lines as the Flink peer's reader (Java's `readLine`) sees them: a line
 * ends at "\n", "\r\n" or a lone "\r"; the text after the last terminator is a
 * line only when it is not empty. Chunks may split anywhere, including between
 * "\r" and "\n", so a trailing "\r" stays in the carry until the next chunk.
 */
export function splitChunk(carry: string, chunk: string): { lines: string[]; carry: string } {
  const text = carry + chunk;
  const heldCr = text.endsWith('\r');
  const lines = (heldCr ? text.slice(0, -1) : text).split(/\r\n|\r|\n/);
  const rest = lines.pop()!;
  return { lines, carry: heldCr ? `${rest}\r` : rest };
}

/** The last line after the final chunk, if any. */
export function finishLines(carry: string): string[] {
  if (carry.endsWith('\r')) return [carry.slice(0, -1)];
  return carry === '' ? [] : [carry];
}

/** Example: `splitLines(['a\r', '\nb'])` → `['a', 'b']`. */
export function splitLines(chunks: Iterable<string>): string[] {
  const out: string[] = [];
  let carry = '';
  for (const chunk of chunks) {
    const step = splitChunk(carry, chunk);
    out.push(...step.lines);
    carry = step.carry;
  }
  out.push(...finishLines(carry));
  return out;
}

/** True for an empty or whitespace-only line: skipped and counted nowhere. */
export function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** The non-blank raw lines of a UTF-8 file, read in chunks (a file may exceed V8's string limit). */
export async function readRawLines(path: string): Promise<string[]> {
  const reader = new LineReader(path, 1 << 22);
  const out: string[] = [];
  for (let batch = await reader.next(); batch !== null; batch = await reader.next())
    for (const line of batch) out.push(line);
  return out;
}

/**
 * Reads a UTF-8 file batch by batch (one batch per chunk of at most
 * `chunkBytes`), so a file of any size is held one chunk at a time. A missing
 * file reads as empty when `missingAsEmpty` (the Flink peer does the same).
 *
 * Example: `for (let b; (b = await reader.next()) !== null; ) handle(b);`
 */
export class LineReader {
  private readonly chunks: AsyncIterator<string>;
  private carry = '';
  private done = false;

  constructor(path: string, chunkBytes = 1 << 20) {
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: chunkBytes });
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
  }

  /** The next batch of non-blank lines (possibly empty), or null after the last one. */
  async next(): Promise<string[] | null> {
    if (this.done) return null;
    const chunk = await this.chunks.next();
    if (chunk.done === true) {
      this.done = true;
      return finishLines(this.carry).filter((l) => !isBlank(l));
    }
    const step = splitChunk(this.carry, chunk.value);
    this.carry = step.carry;
    return step.lines.filter((l) => !isBlank(l));
  }
}
