import type { StatementLimits } from '../../chunks.js';
import { STATEMENT_TEXT_BYTES } from '../../chunks.js';

/** Bind parameters per statement, under the protocol's 65,535 placeholders. */
const MAX_PARAMETERS = 60_000;
/**
 * No statement above this whatever the server allows: a bigger one saves no
 * round trip worth the memory it holds on both sides (TiDB's default packet
 * is 64 MiB).
 */
const MAX_STATEMENT_BYTES = 16 * 1024 * 1024;

/**
 * The write-statement limits for a server whose `max_allowed_packet` is
 * `packetBytes`: half of it, less the statement text, because the client
 * escapes values into the text and an escape at most doubles a string; at
 * most 16 MiB, and at most `maxStatementBytes` (the store option).
 *
 * @example mysqlStatementLimits(16_777_216) // MariaDB's default: maxBytes 8,386,560
 */
export function mysqlStatementLimits(
  packetBytes: number,
  maxStatementBytes = Infinity,
): StatementLimits {
  return {
    maxParameters: MAX_PARAMETERS,
    maxBytes: Math.max(
      1,
      Math.min(
        Math.floor((packetBytes - STATEMENT_TEXT_BYTES) / 2),
        MAX_STATEMENT_BYTES,
        maxStatementBytes,
      ),
    ),
    maxPacketBytes: packetBytes,
  };
}
