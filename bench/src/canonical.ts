import { createHash } from 'node:crypto';

/**
 * The canonical session form of bench/peers/flink/README.md ("Canonical
 * output"), which both Weft and the Flink peer print so that their sessions
 * can be compared by count and checksum. Follow that definition exactly.
 */

/** SHA-256 of the UTF-8 bytes, lowercase hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `<source>:<eventTimeMs>:<sha256 of the raw line>`; identical lines of one source are one record. */
export function signature(source: string, eventTimeMs: number, rawLineHash: string): string {
  return `${source}:${String(eventTimeMs)}:${rawLineHash}`;
}

/** `{"businessKey":…,"records":[…]}` with the distinct signatures in JavaScript's default sort order. */
export function sessionLine(businessKey: string, signatures: Iterable<string>): string {
  return JSON.stringify({ businessKey, records: [...new Set(signatures)].sort() });
}

/** The session lines sorted, joined with "\n" (no trailing newline), hashed. */
export function checksum(lines: readonly string[]): string {
  return sha256([...lines].sort().join('\n'));
}
